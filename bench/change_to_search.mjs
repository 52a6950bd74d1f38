// The time for a change acknowledged by one Kith node to be found by search on another node over
// the same PostgreSQL database (issue 16, section 4; bench/cluster_bench.sh runs it).
//
//   node bench/change_to_search.mjs WRITER_URL SEARCHER_URL [CHANGES=100]
//
// As sw.hughes on WRITER_URL, makes CHANGES changes in turn: a new child (POST /api/v1/children),
// then that child renamed (PUT /api/v1/children/{id}), and so on, each with a family name not used
// before. After each write is acknowledged, searches SEARCHER_URL as sw.okafor (POST
// /api/v1/search, every 10 ms) until the child is found with its new name, and records the time
// from the acknowledgement to the response that found it (so each figure includes one search
// round trip and up to 10 ms of polling granularity). A change not found within 10 s fails the run.
// Before each change it waits a random 0-300 ms: without that, each change is written just after
// the searcher's node applied the previous one, in step with its follower's 250 ms passes, and
// every figure comes out close to a whole interval (the first run's did: median 243 ms).
// Prints one line per figure: created/renamed/all, median, p90, p99, max (ms).
const [writerUrl, searcherUrl, changesArg] = process.argv.slice(2);
if (!writerUrl || !searcherUrl) {
  console.error('usage: node bench/change_to_search.mjs WRITER_URL SEARCHER_URL [CHANGES=100]');
  process.exit(2);
}
const changes = Number(changesArg ?? 100);
const PASSWORD = 'Northbrook-demo-2026';

async function signIn(base, username) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`sign-in of ${username} at ${base}: ${res.status} ${await res.text()}`);
  const cookie = /kith_session=[^;]*/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  const { csrf_token: csrf } = await res.json();
  return async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null, text };
  };
}

// Family names no demo child has and no earlier change used: three syllables from the index.
const SYLLABLES = ['bram', 'del', 'fen', 'gor', 'hal', 'ket', 'lom', 'mir', 'nov', 'pel', 'quin', 'ros', 'sar',
  'tam', 'vel', 'wyn'];
function familyName(i) {
  const s = SYLLABLES[i % 16] + SYLLABLES[(i >> 4) % 16] + SYLLABLES[(i >> 8) % 16] + 'ley';
  return s[0].toUpperCase() + s.slice(1);
}

const write = await signIn(writerUrl, 'sw.hughes');
const search = await signIn(searcherUrl, 'sw.okafor');

async function untilFound(id, given, family) {
  const acknowledged = performance.now();
  for (;;) {
    const res = await search('POST', '/api/v1/search',
                             { given_name: given, family_name: family, reason: 'Checking a new referral' });
    if (res.status !== 200) throw new Error(`search on ${searcherUrl}: ${res.status} ${res.text}`);
    if (res.body.results.some((r) => r.child_id === id && r.family_name === family)) {
      return performance.now() - acknowledged;
    }
    if (performance.now() - acknowledged > 10_000) throw new Error(`${family} (${id}) not found within 10 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const created = [];
const renamed = [];
let child = null;
for (let i = 0; i < changes; ++i) {
  const family = familyName(i);
  await new Promise((r) => setTimeout(r, Math.random() * 300));
  if (i % 2 === 0) {
    const res = await write('POST', '/api/v1/children', {
      given_names: 'Marigold', family_name: family, date_of_birth: '2019-05-06', sex: 'female',
      postcode: 'SW1A 1AA', reason: 'Referral from the health visitor',
    });
    if (res.status !== 201) throw new Error(`create on ${writerUrl}: ${res.status} ${res.text}`);
    child = res.body.child;
    created.push(await untilFound(child.id, 'Marigold', family));
  } else {
    const { id, authority_id: _a, created_at: _c, updated_at: _u, ...fields } = child;
    const res = await write('PUT', `/api/v1/children/${id}`, { ...fields, family_name: family });
    if (res.status !== 200) throw new Error(`rename on ${writerUrl}: ${res.status} ${res.text}`);
    renamed.push(await untilFound(id, 'Marigold', family));
  }
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
function line(label, values) {
  const s = [...values].sort((a, b) => a - b);
  const f = (v) => v.toFixed(0).padStart(6);
  console.log(`${label.padEnd(10)} n=${String(s.length).padStart(3)}  median ${f(quantile(s, 0.5))} ms  p90 ${
    f(quantile(s, 0.9))} ms  p99 ${f(quantile(s, 0.99))} ms  max ${f(s.at(-1))} ms`);
}
line('created', created);
line('renamed', renamed);
line('all', [...created, ...renamed]);
