'use strict';
// The kit in one Node process: activation, its report file, the control channel and
// the dump request (kits/node/PROTOCOL.md). It is active only when leakaudit set
// LEAKAUDIT_KIT_DIR and LEAKAUDIT_KIT_TOKEN, only in a process's main thread, and it
// writes to a descriptor only after proving by device and inode that it is the one
// leakaudit (or the kit itself) opened. Whatever goes wrong, the host process runs on.

const fs = require('node:fs');
const path = require('node:path');
const { Recorder } = require('./record.cjs');
const report = require('./report.cjs');
const metrics = require('./metrics.cjs');
const { package_of } = require('./stack.cjs');
const { Summary } = require('./summary.cjs');
const { Creations } = require('./creations.cjs');

const k_global = Symbol.for('leakaudit.node.kit');
const k_ack_deadline_ms = 30000;

function identity(stat) {
  return `${stat.dev}:${stat.ino}`;
}

// The descriptor named by env[fd_var] when fstat says it is a FIFO whose DEV:INO is
// env[ino_var]; otherwise null (not leakaudit's: never written to).
function proven_fifo(fd_var, ino_var) {
  const raw = process.env[fd_var];
  const expected = process.env[ino_var];
  if (!raw || !expected || !/^\d+$/.test(raw)) return null;
  const fd = Number(raw);
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    return stat.isFIFO() && identity(stat) === expected ? fd : null;
  } catch {
    return null;
  }
}

function sleep_ms(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

class Kit {
  constructor(dir, token) {
    this.dir = dir;
    this.token = token;
    this.cwd = process.cwd();
    this.recorder = new Recorder();
    this.recorder.is_dead = (record) => report.is_dead(record, this.recorder);
    this.since = 0;
    this.window = 'load';
    this.baseline = new WeakMap();
    this.fd = -1;
    this.file_id = null;
    this.last_dump = null;
    this.exiting = false;
    this.first_since = null; // the recorder's sequence number at the first started()
    this.in_cycles = 0; // > 0 while cycles() runs
    this.own_listeners = new Set(); // the kit's own listeners: not counted in metrics
    this.summary = new Summary(this);
  }

  // Cycling (LEAKAUDIT_CYCLES set by `leakaudit run --cycles`, or inside cycles()):
  // started()/stopped() send `metrics` first, and every window opens at the first
  // started() (kits/node/PROTOCOL.md, "Cycles").
  cycling() {
    return this.in_cycles > 0 || Boolean(process.env.LEAKAUDIT_CYCLES);
  }

  open_file() {
    const flags = fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY | fs.constants.O_APPEND;
    const file = path.join(this.dir, `${process.pid}.jsonl`);
    this.fd = fs.openSync(file, flags, 0o600);
    this.file = file;
    this.file_id = identity(fs.fstatSync(this.fd, { bigint: true }));
  }

  // Appends one JSON line to this process's file, after checking that the descriptor
  // is still that file (a harness may close descriptors it did not open).
  write_line(object) {
    try {
      if (identity(fs.fstatSync(this.fd, { bigint: true })) !== this.file_id) {
        const fd = fs.openSync(this.file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_NOFOLLOW);
        if (identity(fs.fstatSync(fd, { bigint: true })) !== this.file_id) {
          fs.closeSync(fd);
          return;
        }
        this.fd = fd;
      }
      const data = Buffer.from(`${JSON.stringify(object)}\n`);
      let written = 0;
      while (written < data.length) written += fs.writeSync(this.fd, data, written);
    } catch {
      /* the report is best effort; the host must not fail because of it */
    }
  }

  start() {
    this.open_file();
    this.write_line({
      type: 'hello',
      token: this.token,
      pid: process.pid,
      ppid: process.ppid,
      argv: process.argv.slice(),
      node: process.version,
      cwd: this.cwd,
      loaded_at_ms: Date.now(),
    });
    this.recorder.install();
    new Creations((record) => this.write_line(record), this.cwd, this.recorder).install();
    this.recorder.quietly(() => {
      this.baseline = report.snapshot_listeners(this.recorder);
      const on_exit = () => this.on_exit();
      this.own_listeners.add(on_exit).add(this.on_sigterm);
      process.on('exit', on_exit);
      if (process.channel) process.on('SIGTERM', this.on_sigterm);
      this.watch_dump_requests();
    });
  }

  watch_dump_requests() {
    try {
      const watcher = fs.watch(this.dir, { persistent: false }, (_event, name) => {
        const file = name === null ? null : String(name);
        if (file === null || file === 'dump-request') this.on_dump_request();
        if (file === null || file === 'summary-request') this.on_summary_request();
      });
      watcher.on('error', () => {});
    } catch {
      /* no inotify: leakaudit's last report stands */
    }
  }

  on_dump_request() {
    let stat;
    try {
      stat = fs.statSync(path.join(this.dir, 'dump-request'), { bigint: true });
    } catch {
      return;
    }
    const id = `${identity(stat)}:${stat.mtimeNs}`;
    if (id === this.last_dump) return;
    this.last_dump = id;
    this.recorder.quietly(() => {
      report.prepare(this.recorder);
      setImmediate(() => {
        this.write_report('dump');
        try {
          fs.closeSync(fs.openSync(path.join(this.dir, `${process.pid}.dumped`), 'wx', 0o600));
        } catch {
          /* already there */
        }
      });
    });
  }

  // leakaudit's status line asks what the process holds now (lib/summary.cjs).
  on_summary_request() {
    if (this.exiting) return;
    try {
      fs.statSync(path.join(this.dir, 'summary-request'));
    } catch {
      return; // removed, or an event for something else
    }
    this.recorder.quietly(() => this.summary.request());
  }

  on_exit() {
    if (this.exiting) return;
    this.exiting = true;
    report.prepare(this.recorder, false); // no later turn: read no WeakRef before the GC
    const body = this.body();
    if (body.handles.length > 0 || body.listeners.length > 0) this.write_body('exit', body);
  }

  // A forked worker (Vitest's and Jest's pools) is ended by its runner with SIGTERM,
  // which skips 'exit': report, then, when no one else listens for SIGTERM, take the
  // listener away and raise the signal again so that it ends the process as before.
  on_sigterm = () => {
    this.on_exit();
    if (process.listenerCount('SIGTERM') === 1) {
      process.removeListener('SIGTERM', this.on_sigterm);
      process.kill(process.pid, 'SIGTERM');
    }
  };

  body() {
    return report.build(this.recorder, this.since, this.baseline, this.cwd);
  }

  write_body(reason, body) {
    this.write_line({
      type: 'report',
      pid: process.pid,
      reason,
      window: this.window,
      at_ms: Date.now(),
      handles: body.handles,
      listeners: body.listeners,
    });
  }

  write_report(reason) {
    try {
      this.write_body(reason, this.body());
    } catch {
      /* best effort */
    }
  }

  // Writes {"event":..., "pid":...} (after `extra`, a `metrics` event, when given) on
  // the proven control pipe and waits for one line on the proven ack pipe (leakaudit
  // has taken its baseline / audited). Without a proven channel it returns at once.
  signal(event, extra = null) {
    const control = proven_fifo('LEAKAUDIT_CONTROL_FD', 'LEAKAUDIT_CONTROL_INO');
    if (control === null) return;
    const lines = extra === null ? [] : [JSON.stringify(extra)];
    lines.push(JSON.stringify({ event, pid: process.pid }));
    if (!write_all(control, Buffer.from(`${lines.join('\n')}\n`))) return;
    const ack = proven_fifo('LEAKAUDIT_ACK_FD', 'LEAKAUDIT_ACK_INO');
    if (ack !== null) read_line(ack);
  }

  // The `metrics` event when cycling and leakaudit listens, else null. First in its
  // event-loop turn (a WeakRef read earlier in the turn would keep its target alive).
  metrics() {
    if (!this.cycling() || proven_fifo('LEAKAUDIT_CONTROL_FD', 'LEAKAUDIT_CONTROL_INO') === null) return null;
    try {
      return metrics.collect(this.recorder, this.first_since, this.cwd, this.own_listeners);
    } catch {
      return null; // best effort: the event itself still goes
    }
  }

  // Drops the records of what is closed or gone, then calls done in the next turn.
  prepare(done) {
    this.recorder.quietly(() => {
      report.prepare(this.recorder);
      setImmediate(done);
    });
  }

  started() {
    const extra = this.metrics();
    this.recorder.quietly(() => {
      // Cycling: the window stays the first started()'s, so a leak of the first cycle
      // is in every later report once, not reported again as new each cycle.
      if (this.first_since !== null && this.cycling()) return;
      this.since = this.recorder.seq;
      if (this.first_since === null) this.first_since = this.since;
      this.window = 'started';
      this.baseline = report.snapshot_listeners(this.recorder);
    });
    this.signal('started', extra);
    return Promise.resolve();
  }

  // Lets closing handles finish (two setImmediate turns, close callbacks between
  // them), writes the `stopped` report, then says `stopped`.
  stopped() {
    return new Promise((resolve) => {
      this.recorder.quietly(() =>
        setImmediate(() => {
          report.prepare(this.recorder);
          this.recorder.quietly(() =>
            setImmediate(() => {
              const extra = this.metrics();
              this.write_report('stopped');
              this.signal('stopped', extra);
              resolve();
            }),
          );
        }),
      );
    });
  }
}

// Writes all of data; a non-blocking pipe is retried until a deadline. False on failure.
function write_all(fd, data) {
  const deadline = Date.now() + k_ack_deadline_ms;
  let written = 0;
  while (written < data.length) {
    try {
      written += fs.writeSync(fd, data, written);
    } catch (err) {
      if (err && err.code === 'EAGAIN' && Date.now() < deadline) {
        sleep_ms(2);
        continue;
      }
      return false;
    }
  }
  return true;
}

// Reads up to a newline or end of file; a non-blocking pipe is polled until a deadline.
function read_line(fd) {
  const byte = Buffer.alloc(1);
  const deadline = Date.now() + k_ack_deadline_ms;
  for (;;) {
    let n;
    try {
      n = fs.readSync(fd, byte, 0, 1, null);
    } catch (err) {
      if (err && err.code === 'EAGAIN' && Date.now() < deadline) {
        sleep_ms(2);
        continue;
      }
      return;
    }
    if (n !== 1 || byte[0] === 0x0a) return;
  }
}

function environment_ok(dir, token) {
  if (!dir || !path.isAbsolute(dir) || !token || !/^[0-9a-fA-F]{16}$/.test(token)) return false;
  try {
    const stat = fs.lstatSync(dir);
    return stat.isDirectory() && (typeof process.getuid !== 'function' || stat.uid === process.getuid());
  } catch {
    return false;
  }
}

// Package managers' own CLIs (npm, npx, pnpm, yarn, corepack): a process whose main
// script is one only launches the harness's scripts, and its own process handlers and
// child are not a plugin's, so the kit stays off in it (kits/node/README.md).
const k_launcher_package = /^(npm|pnpm|yarn|corepack|@yarnpkg\/cli)$/;
function launcher_process() {
  const main = process.argv[1];
  if (typeof main !== 'string' || main === '') return false;
  let real = main;
  try {
    real = fs.realpathSync(main);
  } catch {
    /* judged by the name as given */
  }
  const pkg = package_of(real);
  if (pkg !== null && k_launcher_package.test(pkg)) return true;
  return /(^|\/)\.yarn\/releases\/yarn-[^/]*\.c?js$/.test(real); // Yarn Berry's checked-in release
}

// The process's kit, activating it if leakaudit asked for one; null otherwise.
function activate() {
  if (globalThis[k_global] !== undefined) return globalThis[k_global];
  let kit = null;
  try {
    const { isMainThread } = require('node:worker_threads');
    const dir = process.env.LEAKAUDIT_KIT_DIR;
    const token = process.env.LEAKAUDIT_KIT_TOKEN;
    if (isMainThread && environment_ok(dir, token) && !launcher_process()) {
      kit = new Kit(dir, token);
      kit.start();
    }
  } catch {
    kit = null;
  }
  Object.defineProperty(globalThis, k_global, { value: kit, enumerable: false });
  return kit;
}

module.exports = { activate };
