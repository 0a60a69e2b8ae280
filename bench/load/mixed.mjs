// The load generator of bench/mixed_load.py, in Node: Python's httpx spent a whole core sending
// 150 requests a second (measured: the generator at 85 % CPU, both API processes at 12 % each), so
// it, not the server, set the "capacity". Node's own http module with keep-alive sends the same mix
// for a fraction of that. Only core modules: nothing to install.
//
// Reads one JSON argument: {url, tokens: {employee, manager, payroll}, drafts: [uuid], today,
// mode: "closed" | "open", seconds, connections (closed), rate (open)}.
// Writes one JSON object to the file named by the second argument: {requests, elapsed, transport_errors, kinds: {kind: {latencies_ms: [...], statuses: {...}}}}.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const config = JSON.parse(process.argv[2]);
const target = new URL(config.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: config.mode === 'closed' ? config.connections : 256 });

const auth = (token) => ({ authorization: `Bearer ${token}` });
const draftBody = JSON.stringify({ expense_date: config.today, merchant: 'Pressbyrån', amount: '49.00', currency: 'SEK' });

// Each kind of request with its weight (out of 100): what a working day sends.
const MIX = [
  ['GET /api/me', 35, () => ['GET', '/api/me', auth(config.tokens.employee)]],
  ['GET /api/expenses', 20, () => ['GET', '/api/expenses/', auth(config.tokens.employee)]],
  [
    'PUT /api/expenses/{id}',
    10,
    () => [
      'PUT',
      `/api/expenses/${config.drafts[Math.floor(random() * config.drafts.length)]}`,
      { ...auth(config.tokens.employee), 'content-type': 'application/json' },
      draftBody,
    ],
  ],
  ['GET /api/payslips/preliminary', 10, () => ['GET', '/api/payslips/preliminary', auth(config.tokens.employee)]],
  ['GET /api/attest/inbox', 15, () => ['GET', '/api/attest/inbox', auth(config.tokens.manager)]],
  ['GET /api/employees', 10, () => ['GET', '/api/employees?limit=50', auth(config.tokens.payroll)]],
];

// A seeded generator, so two runs send the same sequence.
let seed = 1;
function random() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

function pick() {
  let roll = random() * 100;
  for (const entry of MIX) {
    roll -= entry[1];
    if (roll < 0) return entry;
  }
  return MIX[0];
}

const kinds = Object.fromEntries(MIX.map(([kind]) => [kind, { latencies_ms: [], statuses: {} }]));
let transportErrors = 0;
let requests = 0;

function send() {
  const [kind, , build] = pick();
  const [method, path, headers, body] = build();
  const started = performance.now();
  requests += 1;
  return new Promise((resolve) => {
    const request = http.request(
      { host: target.hostname, port: target.port, method, path, headers, agent, timeout: 30_000 },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => {
          const tally = kinds[kind];
          tally.latencies_ms.push(performance.now() - started);
          tally.statuses[response.statusCode] = (tally.statuses[response.statusCode] ?? 0) + 1;
          resolve();
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => {
      transportErrors += 1;
      resolve();
    });
    if (body) request.write(body);
    request.end();
  });
}

async function closedLoop() {
  const deadline = performance.now() + config.seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) await send();
  };
  await Promise.all(Array.from({ length: config.connections }, client));
}

async function openLoop() {
  // Requests start on schedule whatever the answers' speed: a slow answer does not slow the arrivals.
  const started = performance.now();
  const pending = new Set();
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= config.seconds) return resolve();
      const due = Math.floor(elapsed * config.rate);
      while (sent < due) {
        const p = send();
        pending.add(p);
        p.then(() => pending.delete(p));
        sent += 1;
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
}

const started = performance.now();
await (config.mode === 'closed' ? closedLoop() : openLoop());
const elapsed = (performance.now() - started) / 1000;
agent.destroy();
writeFileSync(process.argv[3], JSON.stringify({ requests, elapsed, transport_errors: transportErrors, kinds }));
