// cycles() and the `metrics` event (kits/node/PROTOCOL.md, "Cycles"): the harness runs a
// plugin's start/stop N times with the control channel as leakaudit offers it (proven
// FIFOs, every started/stopped acknowledged), and what leakaudit reads is checked: the
// events in order, a metrics event before each, the counts that grow by one per cycle
// with the plugin's line as their site, and a heap reading that a forced GC makes exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { kit_root, run_channel, run_kit, plugin, line_of } from '../test-support/helpers.mjs';

const harness = 'harness-cycles.mjs';

async function channel(t, name, env = {}) {
  const run = await run_channel([harness, plugin(name)], { env });
  if (run === null) t.skip('mkfifo not found');
  return run;
}

// The harness's own lines (a plugin may print too).
const steps = (stdout) => stdout.split('\n').filter((l) => /^(start|stop|done|error) /.test(l)).join('\n');
const kinds = (events) => events.map((e) => e.event);
const metrics_before = (events, kind) => events.filter((e, i) => events[i + 1]?.event === kind && e.event === 'metrics');
const listener = (m, emitter, event) => m.listeners.find((l) => l.emitter === emitter && l.event === event);

test('cycles() runs start/stop LEAKAUDIT_CYCLES times, each inside started/stopped with metrics first', async (t) => {
  const run = await channel(t, 'clean.mjs', { LEAKAUDIT_CYCLES: '3' });
  if (run === null) return;
  assert.equal(run.code, 0, run.stderr);
  assert.equal(steps(run.stdout), 'start 1\nstop 1\nstart 2\nstop 2\nstart 3\nstop 3\ndone 3');
  assert.deepEqual(kinds(run.events), Array(3).fill(['metrics', 'started', 'metrics', 'stopped']).flat());
  for (const e of run.events) if (e.event !== 'metrics') assert.deepEqual(Object.keys(e), ['event', 'pid']);
  for (const m of run.events.filter((e) => e.event === 'metrics')) {
    assert.ok(Number.isSafeInteger(m.heap_used_bytes) && m.heap_used_bytes > 1e6, JSON.stringify(m));
    assert.ok(Number.isSafeInteger(m.rss_bytes) && m.rss_bytes > m.heap_used_bytes);
    assert.ok(Array.isArray(m.handles) && Array.isArray(m.listeners));
    for (const l of m.listeners) assert.equal(typeof l.count, 'number');
  }
});

test('a clean plugin: every handle and listener count is the same at each stopped (nothing for leakaudit to see grow)', async (t) => {
  const run = await channel(t, 'clean.mjs', { LEAKAUDIT_CYCLES: '5' });
  if (run === null) return;
  assert.equal(run.code, 0, run.stderr);
  const at_stop = metrics_before(run.events, 'stopped');
  const counts = (m) =>
    Object.fromEntries([
      ...m.handles.map((h) => [h.type, h.count]),
      ...m.listeners.map((l) => [`${l.emitter} '${l.event}'`, l.count]),
    ]);
  for (const m of at_stop.slice(1)) assert.deepEqual(counts(m), counts(at_stop[0]));
});

test('count wins over LEAKAUDIT_CYCLES; without either, one cycle', async (t) => {
  const explicit = await channel(t, 'clean.mjs', { LEAKAUDIT_CYCLES: '3', CYCLES_COUNT: '2' });
  if (explicit === null) return;
  assert.equal(explicit.stdout.split('\n').filter((l) => l.startsWith('start')).length, 2);
  assert.equal(kinds(explicit.events).filter((k) => k === 'stopped').length, 2);
  // Inside cycles() metrics are sent even without LEAKAUDIT_CYCLES.
  const single = await channel(t, 'clean.mjs', { LEAKAUDIT_CYCLES: '' });
  assert.equal(steps(single.stdout), 'start 1\nstop 1\ndone 1');
  assert.deepEqual(kinds(single.events), ['metrics', 'started', 'metrics', 'stopped']);
});

test('one process listener per cycle: "process \'exit\'" counts 1, 2, 3 at stopped, with the plugin line', async (t) => {
  const run = await channel(t, 'cycle-listener.mjs', { LEAKAUDIT_CYCLES: '3' });
  if (run === null) return;
  assert.equal(run.code, 0, run.stderr);
  const line = line_of(plugin('cycle-listener.mjs'), '@leak');
  const [baseline] = metrics_before(run.events, 'started');
  assert.equal(listener(baseline, 'process', 'exit'), undefined, "the kit's own exit handler is not counted");
  const at_stop = metrics_before(run.events, 'stopped').map((m) => listener(m, 'process', 'exit'));
  assert.deepEqual(at_stop.map((l) => l.count), [1, 2, 3]);
  for (const l of at_stop) assert.match(l.site, new RegExp(`^plugins/cycle-listener\\.mjs:${line}\\b`), l.site);
});

test('one timer per cycle: Timeout handles count 1, 2, 3 at stopped, with the plugin line', async (t) => {
  const run = await channel(t, 'cycle-interval.mjs', { LEAKAUDIT_CYCLES: '3' });
  if (run === null) return;
  const line = line_of(plugin('cycle-interval.mjs'), '@leak');
  const timers = metrics_before(run.events, 'stopped').map((m) => m.handles.find((h) => h.type === 'Timeout'));
  assert.deepEqual(timers.map((h) => h?.count), [1, 2, 3], JSON.stringify(timers));
  for (const h of timers) assert.match(h.site, new RegExp(`^plugins/cycle-interval\\.mjs:${line}\\b`));
});

test('when cycling, every stopped report judges against the first started: a first-cycle leak stays in the last', async (t) => {
  const run = await channel(t, 'cycle-first-only.mjs', { LEAKAUDIT_CYCLES: '3' });
  if (run === null) return;
  const [lines] = [...run.records.values()];
  const reports = lines.filter((r) => r.type === 'report' && r.reason === 'stopped');
  assert.equal(reports.length, 3);
  for (const r of reports) {
    assert.deepEqual(
      r.listeners.map((l) => [l.emitter, l.event, l.count]),
      [['process', 'SIGTERM', 1]],
      'the same one listener, in every report (not new in each cycle, not gone after the first)',
    );
  }
});

test('a start that throws: its stop still runs, stopped is still sent, no further cycle, the error is the caller\'s', async (t) => {
  const run = await channel(t, 'cycle-throws.mjs', { LEAKAUDIT_CYCLES: '4' });
  if (run === null) return;
  assert.equal(run.code, 1);
  assert.equal(steps(run.stdout), 'start 1\nstop 1\nstart 2\nstop 2\nerror start 2 failed');
  assert.deepEqual(kinds(run.events).filter((k) => k !== 'metrics'), ['started', 'stopped', 'started', 'stopped']);
});

test('a bad count or LEAKAUDIT_CYCLES is a clear error, before anything starts', async (t) => {
  for (const [env, message] of [
    [{ CYCLES_COUNT: '0' }, /count must be a whole number from 1, got 0/],
    [{ CYCLES_COUNT: '2.5' }, /count must be a whole number from 1, got 2\.5/],
    [{ LEAKAUDIT_CYCLES: 'ten' }, /LEAKAUDIT_CYCLES must be a whole number from 1, got "ten"/],
  ]) {
    const run = await channel(t, 'clean.mjs', env);
    if (run === null) return;
    assert.equal(run.code, 1);
    assert.match(run.stdout, message);
    assert.doesNotMatch(run.stdout, /start/);
    assert.deepEqual(run.events, []);
  }
});

test('a metrics list holds at most 1,000 items and the line stays far below 1 MiB', async (t) => {
  const run = await channel(t, 'cycle-many-events.mjs', { LEAKAUDIT_CYCLES: '1' });
  if (run === null) return;
  const [, at_stop] = run.events.filter((e) => e.event === 'metrics');
  assert.equal(at_stop.listeners.length, 1000);
  assert.ok(JSON.stringify(at_stop).length < 512 * 1024);
});

test('without leakaudit (no kit folder) cycles() still runs every cycle and sends nothing', () => {
  const env = { ...process.env, LEAKAUDIT_CYCLES: '2' };
  for (const k of ['LEAKAUDIT_KIT_DIR', 'LEAKAUDIT_KIT_TOKEN', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) delete env[k];
  const r = spawnSync(process.execPath, [harness, plugin('clean.mjs')], {
    cwd: path.join(kit_root, 'test-support', 'fixtures'),
    env,
    encoding: 'utf8',
    timeout: 20000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(steps(r.stdout), 'start 1\nstop 1\nstart 2\nstop 2\ndone 2');
});

test('without a proven channel the kit still writes its reports and never blocks', async () => {
  const run = await run_kit([harness, plugin('cycle-listener.mjs')], { env: { LEAKAUDIT_CYCLES: '2' } });
  assert.equal(run.code, 0, run.stderr);
  const [lines] = [...run.records.values()];
  const last = lines.filter((r) => r.type === 'report').at(-1);
  assert.deepEqual(last.listeners.map((l) => [l.event, l.count]), [['exit', 2]]);
});

// The heap reading: 50 MB allocated and dropped must not show, with node's own `gc`
// (--expose-gc) and with the one the kit takes from a fresh context.
for (const flags of [[], ['--expose-gc']]) {
  test(`a forced GC frees what was dropped (node ${flags.join(' ') || 'without --expose-gc'})`, () => {
    // Each reading at the start of an event-loop turn, as the kit takes them.
    const script = `
      const { heap_after_gc } = require(${JSON.stringify(path.join(kit_root, 'lib', 'metrics.cjs'))});
      const turn = () => new Promise((resolve) => setImmediate(resolve));
      (async () => {
        const before = heap_after_gc();
        let keep = [];
        for (let i = 0; i < 50; i++) keep.push(Array.from({ length: 131072 }, (_, j) => j + 0.5));
        await turn();
        const held = heap_after_gc();
        keep = null;
        await turn();
        const after = heap_after_gc();
        console.log(JSON.stringify({ before, held, after, exposed: typeof globalThis.gc }));
      })();`;
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, [...flags, '-e', script], { env, encoding: 'utf8', timeout: 30000 });
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(r.stdout);
    assert.equal(m.exposed, flags.length > 0 ? 'function' : 'undefined', 'the kit does not leave gc exposed');
    assert.ok(m.held - m.before > 50e6, `50 MiB held shows: ${JSON.stringify(m)}`);
    assert.ok(Math.abs(m.after - m.before) < 2e6, `dropped, it is gone: ${JSON.stringify(m)}`);
  });
}

// Regression: the kit kept closed servers reachable (a dead timer's record, and V8's
// call sites of a formatted creation stack, which hold each frame's `this`), and so a
// clean plugin's heap seemed to grow from cycle to cycle.
test('the kit keeps nothing of a closed server reachable once it has reported', async () => {
  const code = `
    import http from 'node:http';
    import v8 from 'node:v8';
    import vm from 'node:vm';
    import { started, stopped } from ${JSON.stringify(path.join(kit_root, 'index.mjs'))};
    let alive = 0;
    const registry = new FinalizationRegistry(() => alive--);
    for (let i = 0; i < 3; i++) {
      await started();
      const server = http.createServer((req, res) => res.end('ok'));
      alive++;
      registry.register(server, i);
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      await new Promise((resolve) => http.get({ port: server.address().port, agent: false }, (res) => res.resume().on('end', resolve)));
      await new Promise((resolve) => server.close(resolve));
      await stopped();
    }
    await new Promise((resolve) => setTimeout(resolve, 1100)); // node's Date header timer ends
    await stopped();
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    console.log(alive);`;
  const run = await run_kit(['--input-type=module', '-e', code], { env: { LEAKAUDIT_CYCLES: '3' } });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), '0', 'every closed server was collected');
});
