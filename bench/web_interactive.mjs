// How long the account's heavy views (contact graph, word cloud, wheel) take to become
// interactive from a cold load, in real headless Chromium against a real `kith serve` with the
// demo data (issue 4's target: within a second). Prints one line per view and run.
//
//   node bench/web_interactive.mjs [runs=5]     (after `make build web`)
import { apiAs, launchBrowser, newUser, signIn, startServer } from '../tests/e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 5);
const server = await startServer();
const chrome = await launchBrowser();
try {
  const hughes = await apiAs(server.base, 'sw.hughes');
  const leo = (await hughes.get('/api/v1/me/children')).body.children.find((c) => c.given_names === 'Leo');
  const { page, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'sw.hughes');
  await page.getByTestId('my-children').waitFor();
  const times = { contact: [], words: [], wheel: [] };
  for (let run = 0; run < runs; run++) {
    for (const [tab, ready] of [['contact', 'contact-chart'], ['words', 'word-cloud'], ['wheel', 'wheel']]) {
      await page.goto('about:blank');
      await page.goto(`/#/children/${leo.child_id}/${tab}`);
      await page.getByTestId(ready).waitFor();
      times[tab].push(await page.evaluate(() => performance.now()));
    }
  }
  await context.close();
  for (const [tab, ms] of Object.entries(times)) {
    ms.sort((a, b) => a - b);
    console.log(`${tab.padEnd(8)} median ${Math.round(ms[ms.length >> 1])} ms, worst ${Math.round(ms.at(-1))} ms over ${runs} cold loads`);
  }
} finally {
  await chrome.close();
  await server.stop();
}
