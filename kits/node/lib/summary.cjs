'use strict';
// The live summary for leakaudit's status line (kits/node/PROTOCOL.md, "The live
// summary"): what the process holds now, by kind (`setInterval`, `server`, ...), with a
// count, how many are ref'd, and the short detail and creation site of the newest one.
// Cheap by construction: the walk over the recorded handles runs in slices of at most
// ~1 ms, each in its own turn on an unref'd timer, so it never blocks the host for long and never
// keeps its event loop alive; a stack is formatted only for the newest handle of the
// few kinds that are written. Details carry no argument or value: a timer's delay, a
// server's address, a child's pid, never a command line.

const fs = require('node:fs');
const path = require('node:path');
const { site_of } = require('./stack.cjs');
const { target_of } = require('./record.cjs');
const { state_of } = require('./live.cjs');
const { stack_of } = require('./report.cjs');

// Bounds of what is written (leakaudit bounds what it reads the same way).
const k_max_kinds = 20;
const k_max_text = 200;
const k_slice_ms = 1;
const k_check_every = 64; // records between two looks at the clock

function cut(text) {
  return text.length > k_max_text ? `${text.slice(0, k_max_text - 1)}\u2026` : text;
}

// The kind people read, and the short detail that carries no secret.
function kind_of(type, res, state) {
  switch (type) {
    case 'Timeout':
      return { kind: res._repeat ? 'setInterval' : 'setTimeout', detail: `${res._idleTimeout}ms` };
    case 'Immediate':
      return { kind: 'setImmediate', detail: '' };
    case 'TCPServerWrap':
    case 'PipeServerWrap': {
      const at = /^server listening on (.*)$/.exec(state.detail ?? '');
      return { kind: 'server', detail: at ? at[1] : '' };
    }
    case 'TCPWRAP':
      return { kind: 'socket', detail: '' };
    case 'PipeWrap':
      return { kind: 'pipe', detail: '' };
    case 'ProcessWrap': {
      const pid = state.owner && Number.isInteger(state.owner.pid) ? `pid ${state.owner.pid}` : '';
      return { kind: 'child process', detail: pid };
    }
    case 'FSEventWrap':
      return { kind: 'fs.watch', detail: '' };
    case 'StatWatcher':
      return { kind: 'fs.watchFile', detail: '' };
    case 'Worker':
      return { kind: 'worker thread', detail: '' };
    case 'MessagePort':
      return { kind: 'message port', detail: '' };
    case 'UDPWrap':
      return { kind: 'udp socket', detail: '' };
    default:
      return { kind: type, detail: '' };
  }
}

// One summary at a time; a request while one is being built is answered by it.
class Summary {
  constructor(kit) {
    this.kit = kit;
    this.busy = false;
  }

  // Starts a walk over a copy of the recorded handles; writes the file when done.
  request() {
    if (this.busy) return;
    this.busy = true;
    const records = Array.from(this.kit.recorder.handles);
    const groups = new Map();
    let at = 0;
    const step = () => {
      try {
        at = this.walk(records, at, groups);
        if (at < records.length) return this.later(step);
        this.write(groups, records.length);
      } catch {
        /* best effort: the status line goes without this process */
      }
      this.busy = false;
    };
    this.later(step);
  }

  // The next slice in a later turn, on an unref'd timer: the host may exit meanwhile.
  // (Not an unref'd setImmediate: it does not wake a loop waiting in poll.)
  later(fn) {
    this.kit.recorder.quietly(() => {
      const timer = setTimeout(fn, 0);
      if (typeof timer.unref === 'function') timer.unref();
    });
  }

  // Tallies records from `at` for about k_slice_ms; returns where it stopped.
  walk(records, at, groups) {
    const recorder = this.kit.recorder;
    const end = performance.now() + k_slice_ms;
    for (let n = 0; at < records.length; at++, n++) {
      if (n % k_check_every === k_check_every - 1 && performance.now() >= end) return at;
      const record = records[at];
      const res = target_of(record);
      if (res === undefined) continue;
      const state = state_of(record.type, res, recorder.watch_paths);
      if (!state.alive) continue;
      // An unref'd timer keeps nothing alive (node's own Date header timer is one).
      if (!state.ref && (record.type === 'Timeout' || record.type === 'Immediate')) continue;
      const { kind, detail } = kind_of(record.type, res, state);
      let g = groups.get(kind);
      if (g === undefined) groups.set(kind, (g = { kind, count: 0, ref: 0, newest: null }));
      g.count += 1;
      if (state.ref) g.ref += 1;
      // The newest, ref'd ones first: what keeps the loop alive is what to name.
      const better = g.newest === null || (state.ref && !g.newest.ref) || (state.ref === g.newest.ref && record.seq > g.newest.seq);
      if (better) g.newest = { seq: record.seq, ref: state.ref, detail, record, res, owner: state.owner };
    }
    return at;
  }

  write(groups, recorded) {
    const recorder = this.kit.recorder;
    const sorted = [...groups.values()].sort((a, b) => b.ref - a.ref || b.count - a.count || (a.kind < b.kind ? -1 : 1));
    const handles = sorted.slice(0, k_max_kinds).map((g) => {
      const item = { kind: g.kind, count: g.count, ref: g.ref };
      if (g.newest.detail) item.detail = cut(g.newest.detail);
      const { record, res, owner } = g.newest;
      const site = site_of(stack_of(record, res, owner, recorder), this.kit.cwd);
      if (site !== null) item.site = cut(site);
      return item;
    });
    const body = {
      type: 'summary',
      token: this.kit.token,
      pid: process.pid,
      at_ms: Date.now(),
      recorded,
      handles,
      more_kinds: Math.max(0, sorted.length - k_max_kinds),
    };
    // Atomic: leakaudit reads the old file or the new one, never half of one.
    const file = path.join(this.kit.dir, `${process.pid}.summary`);
    const temp = path.join(this.kit.dir, `.${process.pid}.summary.tmp`);
    fs.writeFileSync(temp, `${JSON.stringify(body)}\n`, { mode: 0o600 });
    fs.renameSync(temp, file);
  }
}

module.exports = { Summary, k_max_kinds };
