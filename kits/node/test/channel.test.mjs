// The control channel as leakaudit offers it (kits/node/PROTOCOL.md): the kit writes
// `started`/`stopped` only on a descriptor that fstat proves is the FIFO leakaudit
// named by device and inode, waits for the ack, and writes its stopped report first.
// A descriptor that is anything else (a test runner's child inheriting the variables
// while its fd 14 is some file) is never written to, and the API does not block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { preload, fixtures, plugin, read_records, run_kit, last_report } from '../test-support/helpers.mjs';

function identity(fd) {
  const st = fs.fstatSync(fd, { bigint: true });
  return `${st.dev}:${st.ino}`;
}

function setup() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-channel-'));
  const kit_dir = path.join(work, 'kit');
  fs.mkdirSync(kit_dir, { mode: 0o700 });
  return { work, kit_dir, token: crypto.randomBytes(8).toString('hex') };
}

function env_for(kit_dir, token, control, ack) {
  const env = { ...process.env, LEAKAUDIT_KIT_DIR: kit_dir, LEAKAUDIT_KIT_TOKEN: token };
  env.NODE_OPTIONS = `--require ${preload}`;
  delete env.NODE_TEST_CONTEXT;
  Object.assign(env, {
    LEAKAUDIT_CONTROL_FD: '3',
    LEAKAUDIT_ACK_FD: '4',
    LEAKAUDIT_CONTROL_INO: control,
    LEAKAUDIT_ACK_INO: ack,
  });
  return env;
}

test('on proven FIFOs: started and stopped are sent, acknowledged, and the report is written before stopped', async (t) => {
  if (spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status !== 0) return t.skip('mkfifo not found');
  const { work, kit_dir, token } = setup();
  try {
    const control_path = path.join(work, 'control');
    const ack_path = path.join(work, 'ack');
    spawnSync('mkfifo', [control_path, ack_path]);
    const control = fs.openSync(control_path, 'r+'); // read+write: opening never blocks
    const ack = fs.openSync(ack_path, 'r+');
    const env = env_for(kit_dir, token, identity(control), identity(ack));
    const child = spawn(process.execPath, ['harness-kit.mjs', plugin('interval.mjs')], {
      cwd: fixtures,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', control, ack],
    });
    const killer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 20000);
    const events = [];
    const stopped_report_seen = [];
    // Read the control FIFO line by line (a worker-pool read; the test ends the child).
    const stream = fs.createReadStream(null, { fd: control }); // closes control when destroyed
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    await new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no stopped within 15 s; got ${JSON.stringify(events)}; stderr: ${stderr}`)), 15000);
      stream.on('data', (chunk) => {
        buffer += chunk;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const event = JSON.parse(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
          events.push(event);
          if (event.event === 'stopped') {
            const records = read_records(kit_dir);
            stopped_report_seen.push([...records.values()][0].some((r) => r.type === 'report' && r.reason === 'stopped'));
          }
          fs.writeSync(ack, `${event.event}\n`);
          if (event.event === 'stopped') {
            clearTimeout(deadline);
            resolve();
          }
        }
      });
    });
    process.kill(-child.pid, 'SIGKILL');
    clearTimeout(killer);
    stream.destroy();
    fs.writeSync(control, '\n'); // completes the read still pending in the worker pool
    assert.deepEqual(events, [
      { event: 'started', pid: child.pid },
      { event: 'stopped', pid: child.pid },
    ]);
    assert.deepEqual(stopped_report_seen, [true], 'the stopped report is in the file when stopped is said');
    fs.closeSync(ack);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('a descriptor that is not the named FIFO is never written to, and the API does not block', async () => {
  const { work, kit_dir, token } = setup();
  try {
    const victim_path = path.join(work, 'unrelated.txt');
    fs.writeFileSync(victim_path, 'precious\n');
    const victim = fs.openSync(victim_path, 'r+');
    const other = fs.openSync(victim_path, 'r+');
    // The variables name some FIFO; fd 3 and 4 here are a regular file.
    const env = env_for(kit_dir, token, '1:12345', '1:12346');
    const r = spawnSync(process.execPath, ['harness-kit.mjs', plugin('sigterm.mjs')], {
      cwd: fixtures,
      env,
      stdio: ['ignore', 'pipe', 'pipe', victim, other],
      timeout: 20000,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(victim_path, 'utf8'), 'precious\n');
    const [lines] = [...read_records(kit_dir).values()];
    assert.ok(lines.some((l) => l.type === 'report' && l.reason === 'stopped'), 'still reports in its file');
    fs.closeSync(victim);
    fs.closeSync(other);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('without LEAKAUDIT_KIT_DIR and LEAKAUDIT_KIT_TOKEN the preload does nothing', () => {
  const env = { ...process.env, NODE_OPTIONS: `--require ${preload}` };
  delete env.LEAKAUDIT_KIT_DIR;
  delete env.LEAKAUDIT_KIT_TOKEN;
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(
    process.execPath,
    ['-e', "const EE=require('events'); console.log(EE.prototype.on === EE.prototype.addListener && EE.prototype.on.name, globalThis[Symbol.for('leakaudit.node.kit')])"],
    { env, encoding: 'utf8' },
  );
  assert.equal(r.stdout.trim(), 'addListener null', 'EventEmitter untouched, no kit');
});

test('a bad token or a folder that is not ours: nothing is written', () => {
  const { work, kit_dir } = setup();
  try {
    for (const token of ['short', 'zzzzzzzzzzzzzzzz', '']) {
      const env = { ...process.env, NODE_OPTIONS: `--require ${preload}`, LEAKAUDIT_KIT_DIR: kit_dir, LEAKAUDIT_KIT_TOKEN: token };
      delete env.NODE_TEST_CONTEXT;
      const r = spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 1)'], { env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
    assert.deepEqual(fs.readdirSync(kit_dir), []);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('a host that froze Error.stackTraceLimit runs on, and is still reported', async () => {
  const code = `Object.defineProperty(Error, 'stackTraceLimit', { value: 5, writable: false });
    clearInterval(setInterval(() => {}, 1000));
    process.on('SIGTERM', () => {});
    console.log('still fine');`;
  const run = await run_kit(['--input-type=module', '-e', code]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'still fine');
  const report = last_report(run.records);
  assert.deepEqual(report.listeners.map((l) => [l.emitter, l.event]), [['process', 'SIGTERM']]);
});
