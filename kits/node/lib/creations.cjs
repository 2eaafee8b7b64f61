'use strict';
// Creations recorded as they happen (kits/node/PROTOCOL.md, "Creation records"): a temp
// folder the process made with fs.mkdtemp (any of its three forms) or made directly in a
// temp folder with fs.mkdir, and each child process it spawned. leakaudit joins them with
// its temp findings, so a folder left behind says where it was made, or which spawned
// child made it. Written at once, one line each (a process killed later keeps them);
// bounded per process; only paths under the temp folders; never a file's contents.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { capture, frames, site_of } = require('./stack.cjs');

const k_max_records = 1000; // per kind and process: a loop making folders cannot fill the disk
const k_temp_roots = ['/tmp', '/var/tmp', '/dev/shm'];

// The run's watched folders (LEAKAUDIT_KIT_TEMP, ':'-separated, set by leakaudit from
// --watch); without it, the usual temp folders. Only absolute paths count.
function folders_named() {
  const given = process.env.LEAKAUDIT_KIT_TEMP;
  if (given === undefined) return [os.tmpdir(), ...k_temp_roots];
  return given.split(':').filter((f) => path.isAbsolute(f));
}

// The temp folders as spelled and as resolved, read once.
let roots = null;
function temp_roots() {
  if (roots !== null) return roots;
  const all = new Set();
  for (const root of folders_named()) {
    all.add(path.resolve(root));
    try {
      all.add(fs.realpathSync(root));
    } catch {
      /* not on this machine */
    }
  }
  roots = [...all].filter((r) => r !== '/');
  return roots;
}

function under_root(real) {
  return temp_roots().some((root) => real.startsWith(root + path.sep));
}

function in_root(resolved) {
  return temp_roots().includes(path.dirname(resolved));
}

function text_of(p) {
  if (typeof p === 'string') return p;
  if (Buffer.isBuffer(p)) return p.toString();
  if (p instanceof URL) return p.pathname;
  return null;
}

class Creations {
  // write: appends one record (the kit's file); cwd: for the sites; recorder: to stay
  // quiet while the kit itself works.
  constructor(write, cwd, recorder) {
    this.write = write;
    this.cwd = cwd;
    this.recorder = recorder;
    this.counts = { tmp: 0, child: 0 };
  }

  install() {
    this.patch_mkdtemp();
    this.patch_mkdir();
    this.patch_spawn();
    try {
      require('node:module').syncBuiltinESMExports();
    } catch {
      /* older Node: CommonJS callers and default imports are still seen */
    }
  }

  wanted(kind) {
    return this.recorder.internal === 0 && this.counts[kind] < k_max_records;
  }

  where(holder) {
    const stack = frames(holder);
    return { site: site_of(stack, this.cwd), package: stack.length > 0 ? stack[0].package : null, stack };
  }

  // A temp folder the call created, at its real path; nothing outside the temp folders.
  tmp(created, call, holder) {
    try {
      const given = text_of(created);
      if (given === null || !this.wanted('tmp')) return;
      const real = fs.realpathSync(path.resolve(given));
      if (!under_root(real)) return;
      this.counts.tmp++;
      this.write({ type: 'tmp', pid: process.pid, path: real, call, at_ms: Date.now(), ...this.where(holder) });
    } catch {
      /* gone already, or not recorded */
    }
  }

  child(proc, holder) {
    try {
      if (!this.wanted('child') || typeof proc.pid !== 'number') return;
      this.counts.child++;
      const file = typeof proc.spawnfile === 'string' ? path.basename(proc.spawnfile) : '';
      const record = { type: 'child', pid: process.pid, child_pid: proc.pid, file, at_ms: Date.now() };
      this.write({ ...record, ...this.where(holder) });
    } catch {
      /* not recorded */
    }
  }

  patch_mkdtemp() {
    const self = this;
    const original_sync = fs.mkdtempSync;
    const original_cb = fs.mkdtemp;
    const original_promise = fs.promises.mkdtemp;
    fs.mkdtempSync = function mkdtempSync(...args) {
      const holder = capture(mkdtempSync);
      const created = original_sync.apply(this, args);
      self.tmp(created, 'fs.mkdtempSync', holder);
      return created;
    };
    fs.mkdtemp = function mkdtemp(...args) {
      const holder = capture(mkdtemp);
      const at = args.length - 1;
      if (at >= 0 && typeof args[at] === 'function') {
        const callback = args[at];
        args[at] = function (err, created) {
          if (!err) self.tmp(created, 'fs.mkdtemp', holder);
          return callback.apply(this, arguments);
        };
      }
      return original_cb.apply(this, args);
    };
    fs.promises.mkdtemp = async function mkdtemp(...args) {
      const holder = capture(mkdtemp);
      const created = await original_promise.apply(this, args);
      self.tmp(created, 'fs.promises.mkdtemp', holder);
      return created;
    };
  }

  // fs.mkdir: only a folder made directly in a temp folder (with `recursive`, the first
  // one it made), so a plugin's every mkdir costs one string comparison.
  patch_mkdir() {
    const self = this;
    const original_sync = fs.mkdirSync;
    const original_cb = fs.mkdir;
    const original_promise = fs.promises.mkdir;
    const made = (given, result, recursive) => (recursive ? result : text_of(given));
    const interesting = (given) => {
      const text = text_of(given);
      return text !== null && text !== '' && under_root(path.resolve(text));
    };
    const recursive_of = (options) => typeof options === 'object' && options !== null && options.recursive === true;
    fs.mkdirSync = function mkdirSync(given, options) {
      const holder = interesting(given) ? capture(mkdirSync) : null;
      const result = original_sync.apply(this, arguments);
      if (holder !== null) self.top_level(made(given, result, recursive_of(options)), 'fs.mkdirSync', holder);
      return result;
    };
    fs.mkdir = function mkdir(given, ...rest) {
      const at = rest.length - 1;
      if (interesting(given) && at >= 0 && typeof rest[at] === 'function') {
        const holder = capture(mkdir);
        const callback = rest[at];
        const recursive = recursive_of(rest[0]);
        rest[at] = function (err, result) {
          if (!err) self.top_level(made(given, result, recursive), 'fs.mkdir', holder);
          return callback.apply(this, arguments);
        };
      }
      return original_cb.call(this, given, ...rest);
    };
    fs.promises.mkdir = async function mkdir(given, options) {
      const holder = interesting(given) ? capture(mkdir) : null;
      const result = await original_promise.apply(this, arguments);
      if (holder !== null) self.top_level(made(given, result, recursive_of(options)), 'fs.promises.mkdir', holder);
      return result;
    };
  }

  top_level(created, call, holder) {
    const text = text_of(created);
    if (text !== null && in_root(path.resolve(text))) this.tmp(text, call, holder);
  }

  // Every child process goes through ChildProcess#spawn (spawn, exec, execFile, fork).
  patch_spawn() {
    const self = this;
    const { ChildProcess } = require('node:child_process');
    const original = ChildProcess.prototype.spawn;
    ChildProcess.prototype.spawn = function spawn(...args) {
      const holder = self.wanted('child') ? capture(spawn) : null;
      const result = original.apply(this, args);
      if (holder !== null) self.child(this, holder);
      return result;
    };
  }
}

module.exports = { Creations, k_max_records };
