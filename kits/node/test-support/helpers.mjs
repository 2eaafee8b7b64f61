// Runs a Node command with the kit preloaded as leakaudit would (a temporary kit folder
// and token; no leakaudit and no control channel) and reads back the kit's records.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const kit_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const fixtures = path.join(kit_root, 'test-support', 'fixtures');
export const preload = path.join(kit_root, 'preload.cjs');
export const repo_root = path.resolve(kit_root, '..', '..');
// tests/node, or the installed copy the CTest wrapper made (tests/node/run-kit-tests.sh).
export const test_project = process.env.LEAKAUDIT_NODE_TEST_PROJECT || path.join(repo_root, 'tests', 'node');

// Where an npm package of tests/node is installed, or null (then the test skips).
export function installed(name) {
  const dir = path.join(test_project, 'node_modules', name);
  return fs.existsSync(path.join(dir, 'package.json')) ? dir : null;
}

// The 1-based line of `marker` in file.
export function line_of(file, marker) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes(marker));
  if (at < 0) throw new Error(`${marker} not in ${file}`);
  return at + 1;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function until(predicate, deadline_ms) {
  const deadline = Date.now() + deadline_ms;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await sleep(20);
  }
  return predicate();
}

export function read_records(dir) {
  const by_pid = new Map();
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.jsonl')) continue;
    const lines = fs.readFileSync(path.join(dir, name), 'utf8').split('\n').filter(Boolean);
    by_pid.set(name, lines.map((l) => JSON.parse(l)));
  }
  return by_pid;
}

// The last report of the file whose hello argv matches `argv_includes` (or the only one).
export function last_report(records, argv_includes = null) {
  for (const lines of records.values()) {
    const hello = lines[0];
    if (argv_includes !== null && !hello.argv.some((a) => a.includes(argv_includes))) continue;
    const reports = lines.filter((l) => l.type === 'report');
    if (reports.length > 0) return reports[reports.length - 1];
  }
  return null;
}

// Runs `node ...args` in cwd with the kit. Options:
//   dump_after: a stderr text; once seen (and after settle_ms), ask for a dump, wait for
//               the .dumped file, then end the process group;
//   stderr_file: send stderr to a file instead of a pipe;
//   timeout_ms: the process group is killed after this, whatever happens.
// Returns {code, signal, stdout, stderr, dir, records, token}.
export async function run_kit(args, opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-test-'));
  fs.chmodSync(dir, 0o700);
  const token = crypto.randomBytes(8).toString('hex');
  const cwd = opts.cwd ?? fixtures;
  const stderr_path = opts.stderr_file ? path.join(dir, 'stderr.txt') : null;
  const stderr_fd = stderr_path ? fs.openSync(stderr_path, 'w') : 'pipe';
  const env = {
    ...process.env,
    ...(opts.env ?? {}),
    LEAKAUDIT_KIT_DIR: dir,
    LEAKAUDIT_KIT_TOKEN: token,
    NODE_OPTIONS: `--require ${preload}`,
  };
  delete env.NODE_TEST_CONTEXT; // set by an outer `node --test`: an inner one would think it is a child
  for (const k of ['LEAKAUDIT_CONTROL_FD', 'LEAKAUDIT_ACK_FD', 'LEAKAUDIT_CONTROL_INO', 'LEAKAUDIT_ACK_INO', 'LEAKAUDIT_KIT_TEMP']) {
    if (!(opts.env && k in opts.env)) delete env[k];
  }
  const child = spawn(process.execPath, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', stderr_fd] });
  if (typeof stderr_fd === 'number') fs.closeSync(stderr_fd);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let result = null;
  exited.then((r) => (result = r));
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  const hard = setTimeout(kill, opts.timeout_ms ?? 20000);
  try {
    if (opts.dump_after) {
      const err_text = () => (stderr_path ? fs.readFileSync(stderr_path, 'utf8') : stderr);
      await until(() => result !== null || `${stdout}${err_text()}`.includes(opts.dump_after), 15000);
      if (result === null) {
        await sleep(opts.settle_ms ?? 200);
        fs.writeFileSync(path.join(dir, 'dump-request'), '');
        // As leakaudit does: every process that said hello answers, or 5 s pass.
        const all_dumped = () =>
          fs
            .readdirSync(dir)
            .filter((f) => f.endsWith('.jsonl'))
            .every((f) => fs.existsSync(path.join(dir, f.replace('.jsonl', '.dumped'))));
        await until(() => result !== null || all_dumped(), 5000);
        kill();
      }
    }
    result = await exited;
  } finally {
    clearTimeout(hard);
    kill();
  }
  if (stderr_path) stderr = fs.readFileSync(stderr_path, 'utf8');
  const records = read_records(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  return { ...result, stdout, stderr, records, token, pid: child.pid };
}

export const plugin = (name) => path.join(fixtures, 'plugins', name);

function fifo_identity(fd) {
  const st = fs.fstatSync(fd, { bigint: true });
  return `${st.dev}:${st.ino}`;
}

// Runs `node ...args` with the kit and a control channel as leakaudit offers it: two
// FIFOs proven by device and inode, every `started`/`stopped` acknowledged. Returns
// {code, signal, stdout, stderr, events (every JSON line the harness wrote, in order),
// records}.
// Skipped by the caller when mkfifo is missing (returns null). Options: cwd, env,
// timeout_ms (the process group is killed after it, whatever happens).
export async function run_channel(args, opts = {}) {
  const { spawnSync } = await import('node:child_process');
  if (spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status !== 0) return null;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-cycles-'));
  const kit_dir = path.join(work, 'kit');
  fs.mkdirSync(kit_dir, { mode: 0o700 });
  const control_path = path.join(work, 'control');
  const ack_path = path.join(work, 'ack');
  spawnSync('mkfifo', [control_path, ack_path]);
  const control = fs.openSync(control_path, 'r+'); // read+write: opening never blocks
  const ack = fs.openSync(ack_path, 'r+');
  const env = {
    ...process.env,
    ...(opts.env ?? {}),
    LEAKAUDIT_KIT_DIR: kit_dir,
    LEAKAUDIT_KIT_TOKEN: crypto.randomBytes(8).toString('hex'),
    NODE_OPTIONS: `--require ${preload}`,
    LEAKAUDIT_CONTROL_FD: '3',
    LEAKAUDIT_ACK_FD: '4',
    LEAKAUDIT_CONTROL_INO: fifo_identity(control),
    LEAKAUDIT_ACK_INO: fifo_identity(ack),
  };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd ?? fixtures,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', control, ack],
  });
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  const killer = setTimeout(kill, opts.timeout_ms ?? 60000);
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  const events = [];
  const stream = fs.createReadStream(null, { fd: control, highWaterMark: 1 << 20 });
  let buffer = '';
  stream.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        event = { unparsed: line };
      }
      events.push(event);
      if (event.event === 'started' || event.event === 'stopped') fs.writeSync(ack, `${event.event}\n`);
    }
  });
  const result = await new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  clearTimeout(killer);
  kill();
  // Let the last lines arrive, then complete the read still pending in the worker pool.
  await until(() => buffer === '' && events.length > 0 && events.at(-1).event === 'stopped', 500);
  stream.destroy();
  try {
    fs.writeSync(control, '\n');
  } catch {
    /* closed */
  }
  fs.closeSync(ack);
  const records = read_records(kit_dir);
  fs.rmSync(work, { recursive: true, force: true });
  return { ...result, stdout, stderr, events, records };
}
