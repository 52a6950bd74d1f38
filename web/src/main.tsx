import { render } from 'preact';

function App() {
  return (
    <main>
      <h1>Kith</h1>
      <p>The safeguarding network around every child. Sign-in arrives with the web application.</p>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
