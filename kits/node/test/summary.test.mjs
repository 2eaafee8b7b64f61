// The live summary leakaudit's status line asks for (PROTOCOL.md, "The live summary"),
// without leakaudit: a temporary kit folder, a `summary-request` renamed into it as
// leakaudit does, and the `<pid>.summary` answer read back. Also: the summary never keeps
// a process alive, and names no argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixtures, preload, plugin, line_of, sleep, until } from '../test-support/helpers.mjs';

function ask(dir) {
  const temp = path.join(dir, '.summary-request.tmp');
  fs.writeFileSync(temp, 'summary\n');
  fs.renameSync(temp, path.join(dir, 'summary-request'));
}

// Starts `node ...args` with the kit in a fresh folder; `stop()` ends its process group
// (always called: a hard timer ends it too, whatever happens).
function start(args, opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-summary-'));
  fs.chmodSync(dir, 0o700);
  const token = crypto.randomBytes(8).toString('hex');
  const env = { ...process.env, LEAKAUDIT_KIT_DIR: dir, LEAKAUDIT_KIT_TOKEN: token, NODE_OPTIONS: `--require ${preload}` };
  delete env.NODE_TEST_CONTEXT;
  for (const k of ['LEAKAUDIT_CONTROL_FD', 'LEAKAUDIT_ACK_FD', 'LEAKAUDIT_CONTROL_INO', 'LEAKAUDIT_ACK_INO']) delete env[k];
  const started_at = Date.now();
  const child = spawn(process.execPath, args, { cwd: opts.cwd ?? fixtures, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const run = { dir, token, child, stderr: '', exit: null, exited_after_ms: null };
  child.stderr.on('data', (d) => (run.stderr += d));
  run.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      run.exit = { code, signal };
      run.exited_after_ms = Date.now() - started_at;
      resolve(run.exit);
    }),
  );
  const hard = setTimeout(() => run.stop(), opts.timeout_ms ?? 20000);
  run.stop = () => {
    clearTimeout(hard);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  run.summary = () => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, `${child.pid}.summary`), 'utf8'));
    } catch {
      return null;
    }
  };
  run.cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  return run;
}

test('a live summary names a forgotten setInterval by kind, with its delay and the plugin line', async () => {
  const run = start(['harness.mjs', plugin('interval.mjs')]);
  try {
    assert.ok(await until(() => run.stderr.includes('harness: stopped'), 15000), run.stderr);
    ask(run.dir);
    assert.ok(await until(() => run.summary() !== null, 5000), 'the kit answered');
    const s = run.summary();
    assert.equal(s.type, 'summary');
    assert.equal(s.token, run.token);
    assert.equal(s.pid, run.child.pid);
    const interval = s.handles.find((h) => h.kind === 'setInterval');
    assert.ok(interval, JSON.stringify(s));
    assert.equal(interval.count, 1);
    assert.equal(interval.ref, 1);
    assert.equal(interval.detail, '60000ms');
    const line = line_of(plugin('interval.mjs'), '@leak');
    assert.ok(interval.site.startsWith(`plugins/interval.mjs:${line}`), interval.site);
    assert.deepEqual(
      fs.readdirSync(run.dir).filter((f) => f.endsWith('.tmp')),
      [],
      'written atomically: no temp file left',
    );
    assert.equal(run.exit, null, 'the interval still holds it');
  } finally {
    run.stop();
    run.cleanup();
  }
});

test('a live summary names a server by its address and a child by its pid, never its arguments', async () => {
  const script = `
    import http from 'node:http';
    import { spawn } from 'node:child_process';
    const server = http.createServer().listen(0, '127.0.0.1');
    const child = spawn('sh', ['-c', 'sleep 30', 'sh', '--password=hunter2'], { stdio: 'ignore' });
    child.on('error', () => {});
    server.on('listening', () => process.stderr.write('ready\\n'));
  `;
  const run = start(['--input-type=module', '-e', script]);
  try {
    assert.ok(await until(() => run.stderr.includes('ready'), 15000), run.stderr);
    ask(run.dir);
    assert.ok(await until(() => run.summary() !== null, 5000), 'the kit answered');
    const text = fs.readFileSync(path.join(run.dir, `${run.child.pid}.summary`), 'utf8');
    assert.ok(!text.includes('hunter2'), text);
    const s = JSON.parse(text);
    const server = s.handles.find((h) => h.kind === 'server');
    assert.match(server.detail, /^127\.0\.0\.1:\d+$/);
    const child = s.handles.find((h) => h.kind === 'child process');
    assert.match(child.detail, /^pid \d+$/);
  } finally {
    run.stop();
    run.cleanup();
  }
});

// The summary must never be why a process lives on: one with nothing of its own exits at
// once, even with a request in flight over 20,000 timers it has just cleared.
test('the summary keeps no event loop alive: a process with nothing left exits promptly', async () => {
  const bare = start(['-e', '']);
  await bare.exited;
  const baseline = bare.exited_after_ms;
  bare.stop();
  bare.cleanup();

  const script = `
    const fs = require('node:fs');
    const path = require('node:path');
    const timers = [];
    for (let i = 0; i < 20000; i++) timers.push(setTimeout(() => {}, 600000));
    const dir = process.env.LEAKAUDIT_KIT_DIR;
    fs.writeFileSync(path.join(dir, '.summary-request.tmp'), '');
    fs.renameSync(path.join(dir, '.summary-request.tmp'), path.join(dir, 'summary-request'));
    // Let the kit start its walk, then drop everything: the walk must not hold the loop.
    setTimeout(() => { for (const t of timers) clearTimeout(t); process.stderr.write('cleared\\n'); }, 50);
  `;
  const run = start(['-e', script]);
  try {
    const exit = await Promise.race([run.exited, sleep(15000).then(() => null)]);
    assert.ok(exit !== null, `exited (stderr: ${run.stderr})`);
    assert.equal(exit.code, 0);
    assert.ok(run.stderr.includes('cleared'));
    // Startup under load varies; a loop kept alive would last until the hard timer (20 s).
    assert.ok(run.exited_after_ms < baseline + 5000, `${run.exited_after_ms} ms against ${baseline} ms bare`);
  } finally {
    run.stop();
    run.cleanup();
  }
});

// Walked over many turns (slices of ~1 ms), and still one summary with every timer.
test('a summary of 20,000 live timers counts them all, in one kind', async () => {
  const script = `
    const timers = [];
    for (let i = 0; i < 20000; i++) timers.push(setTimeout(() => {}, 600000));
    process.stderr.write('ready\\n');
  `;
  const run = start(['-e', script]);
  try {
    assert.ok(await until(() => run.stderr.includes('ready'), 15000), run.stderr);
    ask(run.dir);
    assert.ok(await until(() => run.summary() !== null, 10000), 'the kit answered');
    const s = run.summary();
    const timeouts = s.handles.find((h) => h.kind === 'setTimeout');
    assert.equal(timeouts.count, 20000);
    assert.ok(s.recorded >= 20000);
  } finally {
    run.stop();
    run.cleanup();
  }
});
