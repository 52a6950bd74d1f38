// An index import through the running server (issue 6): an index steward sends a feed of N
// distinct children in 1,000,000-byte parts while a practitioner keeps adding chronology
// entries (an audited write each, as the web application does), and we measure the import's
// time and how long those other writes took, before and while it ran — the import writes in
// batches that each hold the store's writer about 50 ms, so no other write should wait long.
//
//   node bench/import_http.mjs [rows=50000]     (after `make build`)
import { apiAs, startServer } from '../tests/e2e/harness.mjs';

const ROWS = Number(process.argv[2] ?? 50_000);
const given = ['Amelia', 'Oliver', 'Isla', 'Noah', 'Ava', 'George', 'Mia', 'Arthur', 'Ivy', 'Theo', 'Freya', 'Oscar',
               'Grace', 'Harry', 'Zara', 'Jacob', 'Poppy', 'Kofi', 'Ruby', 'Ethan'];
// Random children (a seeded xorshift generator), as unlike each other as real ones: a school
// roll or GP list has each child once.
let seed = 42;
const random = (n) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};
const two = (n) => String(n).padStart(2, '0');
const children = Array.from({ length: ROWS }, () => {
  const family = Array.from({ length: 7 }, () => String.fromCharCode(97 + random(26))).join('');
  return [given[random(20)], family[0].toUpperCase() + family.slice(1),
          `${2008 + random(10)}-${two(1 + random(12))}-${two(1 + random(28))}`, random(2) ? 'M' : 'F',
          `NB${1 + random(9)} ${random(10)}AB`];
});
const lines = ['record_id,source,given_name,family_name,date_of_birth,sex,postcode',
              ...children.map((c, i) => `B${i},Big Feed,${c.join(',')}`)];
const file = Buffer.from(`${lines.join('\n')}\n`);

const server = await startServer();
try {
  const steward = await apiAs(server.base, 'dq.shah');
  const cookieOf = async (username) => {
    const r = await fetch(`${server.base}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: 'Northbrook-demo-2026' }),
    });
    return { cookie: r.headers.get('set-cookie').split(';')[0], csrf: (await r.json()).csrf_token };
  };
  const { cookie, csrf } = await cookieOf('dq.shah');
  const send = (path, body) => fetch(`${server.base}${path}`, {
    method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'text/csv' }, body,
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

  // Another user's writes — chronology entries on a child of theirs, each audited — one after
  // another until `stop()` is true; their latencies in ms. (Not new children: hundreds of
  // near-identical children would change what the import's linkage learns.)
  const other = await apiAs(server.base, 'sw.okafor');
  const child = (await other.get('/api/v1/me/children')).body.children[0].child_id;
  const writes = async (stop) => {
    const latencies = [];
    while (!stop()) {
      const t = performance.now();
      const res = await other.post(`/api/v1/children/${child}/chronology`, {
        occurred_on: '2026-01-05', type: 'note', significance: 'routine', summary: 'Measuring writes during an import',
      });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      latencies.push(performance.now() - t);
    }
    return latencies.sort((a, b) => a - b);
  };

  const summary = (l) => `${l.length}, median ${l[l.length >> 1].toFixed(0)} ms, p99 ` +
    `${l[Math.min(l.length - 1, Math.floor(0.99 * l.length))].toFixed(0)} ms, max ${l.at(-1).toFixed(0)} ms`;
  const quietUntil = performance.now() + 5000;
  const baseline = await writes(() => performance.now() > quietUntil);

  const part = 1_000_000;
  const started = performance.now();
  let res = await send(`/api/v1/index/imports?last=${file.length <= part}`, file.subarray(0, part));
  const id = res.body.id;
  for (let at = part; at < file.length; at += part) {
    res = await send(`/api/v1/index/imports/${id}/parts?offset=${at}&last=${at + part >= file.length}`,
                     file.subarray(at, at + part));
    if (res.status !== 202) throw new Error(JSON.stringify(res.body));
  }
  const sent = performance.now();

  // Meanwhile: another user's writes, until the import is done.
  let done = false;
  const during = writes(() => done);
  let job;
  for (;;) {
    job = (await steward.get(`/api/v1/index/imports/${id}?wait_seconds=30`)).body;
    if (job.state === 'done' || job.state === 'failed') break;
  }
  const finished = performance.now();
  done = true;
  const latencies = await during;
  console.log(`${ROWS} rows, ${(file.length / 1e6).toFixed(1)} MB in ${job.parts} parts: sent in ` +
              `${((sent - started) / 1000).toFixed(2)} s, imported ${((finished - started) / 1000).toFixed(2)} s after ` +
              `the first byte (${Math.round(ROWS / ((finished - started) / 1000))} rows/s); state ${job.state}; created ` +
              `${job.created}, matched ${job.matched}, review ${job.queued_for_review}, bad ${job.bad_rows_total}`);
  console.log(`another user's writes for 5 s before the import: ${summary(baseline)}`);
  console.log(`another user's writes during the import:         ${summary(latencies)}`);
} finally {
  await server.stop();
}
