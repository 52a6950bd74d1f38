import { render } from 'preact';
import './styles.scss';
import { App } from './app';

render(<App />, document.getElementById('app')!);
