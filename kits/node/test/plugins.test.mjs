// Plugin scenarios under the kit, without leakaudit: a temporary kit folder and token,
// the plain harness (judged against load; a hanging one is asked for a dump) and the
// harness using the kit's API (judged at stopped()). Each asserts what a user reads in
// the report: the leaked thing and the plugin's file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run_kit, last_report, plugin, line_of, installed } from '../test-support/helpers.mjs';

const harness = 'harness.mjs';
const harness_kit = 'harness-kit.mjs';

function at_line(item, name, marker = '@leak') {
  const file = plugin(name);
  const line = line_of(file, marker);
  const hit = item.stack.find((f) => f.file === file && f.line === line);
  assert.ok(hit, `stack of ${item.type ?? item.event} reaches ${name}:${line}: ${JSON.stringify(item.stack)}`);
  assert.ok(item.site.includes(`plugins/${name}:${line}`), `site names ${name}:${line}: ${item.site}`);
}

// Runs the plain harness (dumped if it hangs) and the kit harness; returns both reports.
async function both(name, opts = {}) {
  const plain = await run_kit([harness, plugin(name)], { dump_after: 'harness: stopped', ...opts });
  const kit = await run_kit([harness_kit, plugin(name)], { dump_after: 'harness: stopped', ...opts });
  const kit_report = [...kit.records.values()][0].filter((r) => r.type === 'report').find((r) => r.reason === 'stopped');
  return { plain: last_report(plain.records), kit: kit_report, plain_run: plain, kit_run: kit };
}

test('a forgotten setInterval is named with its delay and the plugin line', async () => {
  const { plain, kit } = await both('interval.mjs');
  for (const report of [plain, kit]) {
    assert.ok(report, 'a report was written');
    const timer = report.handles.find((h) => h.type === 'Timeout');
    assert.ok(timer, JSON.stringify(report));
    assert.equal(timer.ref, true);
    assert.equal(timer.detail, 'setInterval 60000ms');
    assert.equal(timer.package, null);
    at_line(timer, 'interval.mjs');
  }
  assert.equal(plain.reason, 'dump');
  assert.equal(plain.window, 'load');
  assert.equal(kit.window, 'started');
});

test('a node-cron job is named in node-cron and reaches the plugin line', async (t) => {
  const cron = installed('node-cron');
  if (cron === null) return t.skip('node-cron not installed: npm ci in tests/node');
  const { plain, kit } = await both('cron.mjs', { env: { NODE_CRON_PATH: cron } });
  for (const report of [plain, kit]) {
    const timer = report.handles.find((h) => h.type === 'Timeout');
    assert.ok(timer, JSON.stringify(report));
    assert.equal(timer.package, 'node-cron');
    assert.match(timer.site, /^.*node_modules\/node-cron\/src\/[^:]+:\d+ \u2190 plugins\/cron\.mjs:\d+/);
    at_line(timer, 'cron.mjs');
    assert.equal(report.listeners.length, 0, 'node-cron wiring its own objects is not a listener finding');
  }
});

test('a stopped node-cron task leaves nothing', async (t) => {
  const cron = installed('node-cron');
  if (cron === null) return t.skip('node-cron not installed: npm ci in tests/node');
  const { plain, kit } = await both('cron-stopped.mjs', { env: { NODE_CRON_PATH: cron } });
  assert.equal(plain, null, 'no report: nothing to say at exit');
  assert.deepEqual([kit.handles, kit.listeners], [[], []]);
});

test('a server left listening is named with its address and the plugin line', async () => {
  const { plain, kit } = await both('server.mjs');
  for (const report of [plain, kit]) {
    const server = report.handles.find((h) => h.type === 'TCPServerWrap');
    assert.ok(server, JSON.stringify(report));
    assert.equal(server.ref, true);
    assert.match(server.detail, /^server listening on 127\.0\.0\.1:\d+$/);
    at_line(server, 'server.mjs');
    assert.equal(report.listeners.length, 0, "the server's own listeners come with it");
  }
});

test('a child process is named with its pid, command and the plugin line', async () => {
  const { plain, kit } = await both('child.mjs');
  for (const report of [plain, kit]) {
    const child = report.handles.find((h) => h.type === 'ProcessWrap');
    assert.ok(child, JSON.stringify(report));
    assert.match(child.detail, /^child pid \d+: sleep 30$/);
    at_line(child, 'child.mjs');
  }
});

test('a SIGTERM listener on process is named with the plugin line', async () => {
  const { plain, kit, plain_run } = await both('sigterm.mjs');
  assert.equal(plain_run.code, 0, 'signal listeners do not keep the loop alive');
  assert.equal(plain.reason, 'exit');
  for (const report of [plain, kit]) {
    assert.equal(report.handles.length, 0);
    assert.equal(report.listeners.length, 1, JSON.stringify(report.listeners));
    const [l] = report.listeners;
    assert.deepEqual([l.emitter, l.event, l.count], ['process', 'SIGTERM', 1]);
    at_line(l, 'sigterm.mjs');
  }
});

test("a listener left on the host's EventEmitter names the host's class", async () => {
  const { plain, kit } = await both('host-listener.mjs');
  for (const report of [plain, kit]) {
    assert.equal(report.listeners.length, 1, JSON.stringify(report.listeners));
    const [l] = report.listeners;
    assert.deepEqual([l.emitter, l.event, l.count], ['Host', 'config', 1]);
    at_line(l, 'host-listener.mjs');
  }
});

test('a beforeExit handler that keeps spawning sh -c children is named, and so are its children', async () => {
  const { plain, kit } = await both('beforeexit.mjs', { settle_ms: 500 });
  assert.equal(plain.reason, 'dump');
  const l = plain.listeners.find((x) => x.event === 'beforeExit');
  assert.ok(l, JSON.stringify(plain));
  assert.equal(l.emitter, 'process');
  at_line(l, 'beforeexit.mjs');
  const child = plain.handles.find((h) => h.type === 'ProcessWrap');
  assert.ok(child, 'a respawned child is alive at the dump');
  assert.match(child.detail, /: sh -c sleep 0\.2$/);
  at_line(child, 'beforeexit.mjs', '@child');
  assert.ok(kit.listeners.some((x) => x.event === 'beforeExit'), 'at stopped already');
});

for (const stderr_file of [false, true]) {
  test(`the clean plugin reports nothing (stderr ${stderr_file ? 'to a file' : 'piped'})`, async () => {
    const { plain, kit, plain_run, kit_run } = await both('clean.mjs', { stderr_file });
    assert.equal(plain_run.code, 0, plain_run.stderr);
    assert.equal(kit_run.code, 0, kit_run.stderr);
    assert.equal(plain, null, `nothing to say at exit: ${JSON.stringify(plain)}`);
    assert.deepEqual([kit.handles, kit.listeners], [[], []]);
    assert.match(plain_run.stderr, /clean plugin logs to stderr/);
  });
}

test('precision: re-adding the same function to process (pino on-exit-leak-free) is not a leak', async () => {
  const { kit } = await both('pino-like.mjs');
  assert.deepEqual(kit.listeners, []);
});

test('precision: a new closure is a leak even when the listener count did not grow', async () => {
  const { kit } = await both('swap-listener.mjs');
  assert.equal(kit.listeners.length, 1);
  assert.equal(kit.listeners[0].event, 'uncaughtException');
  at_line(kit.listeners[0], 'swap-listener.mjs');
});

test('precision: finished streams keep listeners that are not leaks', async () => {
  const { plain, kit } = await both('streams.mjs');
  assert.equal(plain, null, JSON.stringify(plain));
  assert.deepEqual([kit.handles, kit.listeners], [[], []]);
});

test('precision: a closed server and its finished request leave nothing', async () => {
  const { plain, kit } = await both('server-closed.mjs');
  assert.equal(plain, null, JSON.stringify(plain));
  assert.deepEqual([kit.handles, kit.listeners], [[], []]);
});

test('precision: a closed server wrapper (as ws\'s WebSocketServer) keeps its listeners, no leak', async () => {
  const { plain, kit } = await both('wrapped-server.mjs', { env: { WRAPPED_CLOSE: '1' } });
  assert.equal(plain, null, JSON.stringify(plain));
  assert.deepEqual([kit.handles, kit.listeners], [[], []]);
});

test('a server wrapper left open is one server finding: its own listeners come with it', async () => {
  const { plain, kit } = await both('wrapped-server.mjs');
  for (const report of [plain, kit]) {
    const server = report.handles.find((h) => h.type === 'TCPServerWrap');
    assert.ok(server, JSON.stringify(report));
    assert.equal(report.handles.length, 1, JSON.stringify(report.handles));
    assert.deepEqual(report.listeners, [], "the wrapper's listeners come with its server");
  }
});

// `leakaudit run -- npx vitest run`: the npx process (npm's CLI) only launches the runner;
// its signal handlers and its child are npm's, and a hung harness must not list them.
test('precision: a package manager\'s own process (npx, npm) reports nothing of its own', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-launcher-'));
  try {
    const script = [
      "process.on('SIGINT', () => {});",
      "process.on('exit', () => {});",
      'setInterval(() => {}, 60000);',
      "console.log('launched');",
    ].join('\n');
    const launcher = path.join(root, 'node_modules', 'npm', 'bin', 'npx-cli.js');
    fs.mkdirSync(path.dirname(launcher), { recursive: true });
    fs.writeFileSync(launcher, script);
    fs.symlinkSync(launcher, path.join(root, 'npx')); // as /usr/bin/npx
    const plain = path.join(root, 'launcher.cjs'); // the same code as a harness of its own
    fs.writeFileSync(plain, script);
    const control = await run_kit([plain], { dump_after: 'launched' });
    const own = last_report(control.records);
    assert.ok(own && own.listeners.some((l) => l.event === 'SIGINT'), 'the control reports its listener');
    const npx = await run_kit([path.join(root, 'npx')], { dump_after: 'launched' });
    assert.deepEqual([...npx.records.keys()], [], 'the kit stays off in npm\'s CLI');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

// `node --test --test-force-exit` on a plugin that used fetch(): undici's wasm parser had
// a setImmediate pending at the exit, reported as an error at "wasm:/wasm/…:1".
test('precision: fetch() then a forced exit leaves nothing (undici\'s wasm parser is node\'s)', async () => {
  const run = await run_kit([harness, plugin('fetch-closed.mjs'), '--exit']);
  assert.equal(run.code, 0);
  const report = last_report(run.records);
  assert.ok(report === null || (report.handles.length === 0 && report.listeners.length === 0), JSON.stringify(report));
});

test('precision: once() and prependOnceListener() wrappers are one listener each', async () => {
  const { kit } = await both('once.mjs');
  const sigint = kit.listeners.find((l) => l.event === 'SIGINT');
  const reload = kit.listeners.find((l) => l.event === 'reload');
  assert.equal(sigint.count, 1);
  assert.equal(reload.count, 1);
  at_line(sigint, 'once.mjs');
  at_line(reload, 'once.mjs', '@leak2');
  assert.equal(kit.listeners.length, 2);
});

test('process.exit() with a server alive writes an exit report naming it', async () => {
  const run = await run_kit([harness, plugin('server.mjs'), '--exit']);
  assert.equal(run.code, 0);
  const report = last_report(run.records);
  assert.equal(report.reason, 'exit');
  const server = report.handles.find((h) => h.type === 'TCPServerWrap');
  at_line(server, 'server.mjs');
});

test('the API works from CommonJS', async () => {
  const run = await run_kit(['harness-kit.cjs', plugin('interval.mjs')], { dump_after: 'harness: stopped' });
  const stopped = [...run.records.values()][0].find((r) => r.type === 'report' && r.reason === 'stopped');
  assert.ok(stopped);
  at_line(stopped.handles[0], 'interval.mjs');
});

test('hello carries the token, pid and argv', async () => {
  const run = await run_kit([harness, plugin('sigterm.mjs')]);
  const [lines] = [...run.records.values()];
  assert.equal(lines[0].type, 'hello');
  assert.equal(lines[0].token, run.token);
  assert.equal(lines[0].pid, run.pid);
  assert.equal(path.basename(lines[0].argv[1]), 'harness.mjs');
});

test('a worker, watchers, a UDP socket, a message port, an AbortSignal listener and an unref\'d timer are named', async () => {
  const { kit } = await both('misc.mjs');
  const expect = [
    ['Worker', /^worker thread \d+$/, '@worker', true],
    ['FSEventWrap', /^fs\.watch \//, '@watch', true],
    ['StatWatcher', /^fs\.watchFile \//, '@watchFile', true],
    ['UDPWrap', /^udp socket 127\.0\.0\.1:\d+$/, '@udp', true],
    ['MessagePort', /^message port$/, 'new MessageChannel', true],
    ['Timeout', /^setInterval 30000ms$/, '@unref', false],
  ];
  for (const [type, detail, marker, ref] of expect) {
    const item = kit.handles.find((h) => h.type === type);
    assert.ok(item, `${type} in ${JSON.stringify(kit.handles.map((h) => h.type))}`);
    assert.match(item.detail, detail);
    assert.equal(item.ref, ref, `${type} ref'd`);
    at_line(item, 'misc.mjs', marker);
  }
  assert.equal(kit.handles.length, expect.length);
  // The port's own listener comes with the port; the signal's is a finding.
  assert.deepEqual(kit.listeners.map((l) => [l.emitter, l.event]), [['AbortSignal', 'abort']]);
  at_line(kit.listeners[0], 'misc.mjs', '@abort');
});
