'use strict';
// What the plugin added in the window and still holds, judged at report time
// (kits/node/PROTOCOL.md, "Files: one per Node process"). Precision before recall:
// - a handle counts when it was created in the window and is still open; a handle
//   created by an async chain that began before the window (a cron task started
//   earlier re-arming its timer) is not the plugin's;
// - a listener counts when it was added in the window, is still attached, and its
//   (emitter, event, function) was not attached at the window's start; on an emitter
//   first seen in the window, only when that emitter is still reachable after a forced
//   garbage collection and not a finished stream, closed server or exited child; a
//   live resource's own listeners are folded into that resource's handle finding.

const v8 = require('node:v8');
const vm = require('node:vm');
const events = require('node:events');
const { frames, wired_by, site_of } = require('./stack.cjs');
const { state_of, agent_free_socket, own_handle } = require('./live.cjs');
const { attached, target_of, holder_of } = require('./record.cjs');

let gc_function = null;

// A full garbage collection: node's `gc` when the host runs with --expose-gc, else one
// taken from a fresh context with the flag set for that moment only.
function gc_of() {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc');
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

function force_gc() {
  try {
    if (gc_function === null) gc_function = gc_of();
    gc_function();
  } catch {
    gc_function = () => {};
  }
}

// (emitter, event) -> functions attached now, for every emitter the kit knows.
function snapshot_listeners(recorder) {
  const snapshot = new WeakMap();
  const take = (emitter) => {
    const info = recorder.emitter_info.get(emitter);
    const by_event = new Map();
    const names = new Set();
    try {
      if (typeof emitter.eventNames === 'function') for (const n of emitter.eventNames()) names.add(n);
    } catch {
      /* not an EventEmitter */
    }
    if (info !== undefined) for (const r of info.recs) names.add(r.event);
    for (const name of names) {
      const fns = new Set();
      let list = [];
      try {
        list =
          typeof emitter.rawListeners === 'function'
            ? emitter.rawListeners(name)
            : events.getEventListeners(emitter, name);
      } catch {
        list = [];
      }
      for (const l of list) fns.add(l !== null && typeof l === 'function' && l.listener ? l.listener : l);
      by_event.set(name, fns);
    }
    snapshot.set(emitter, by_event);
  };
  take(process);
  for (const ref of recorder.emitters) {
    const emitter = ref.deref();
    if (emitter !== undefined && emitter !== process) take(emitter);
  }
  return snapshot;
}

function is_timer(record) {
  return record.type === 'Timeout' || record.type === 'Immediate';
}

// Test runners' own packages: what they alone create (their workers' process handlers,
// their timeouts) is the runner's, not the plugin's under test.
const k_runner_package = /^(vitest|@vitest\/.*|vite|vite-node|tinypool|tinyspy|jest|jest-.*|@jest\/.*|mocha)$/;

function runner_only(stack) {
  return stack.length > 0 && stack.every((f) => f.package !== null && k_runner_package.test(f.package));
}

function has_user_frame(stack) {
  return stack.some((f) => f.package === null);
}

// A record's stack: its own frames, then (when those hold no user code, as for a timer
// re-armed inside a library's callback) the frames of the async chain's first resource.
function stack_of(record, res, owner, recorder) {
  const own = frames(holder_of(record, res, recorder));
  if (has_user_frame(own)) return own;
  const site = owner ? recorder.owner_sites.get(owner) : undefined;
  if (site !== undefined) return own.concat(frames(site));
  if (record.root === null || record.root === record) return own;
  return own.concat(frames(record.root.holder));
}

function is_stdio_stream(emitter) {
  try {
    if (emitter._isStdio === true) return true;
    const fd = emitter.fd ?? own_handle(emitter)?.fd;
    return typeof fd === 'number' && fd >= 0 && fd <= 2;
  } catch {
    return false;
  }
}

// A stream, server, child or signal that is done: its listeners will never fire.
function finished(emitter) {
  if (emitter === process) return false;
  try {
    if (typeof emitter.listening === 'boolean' && typeof emitter.address === 'function') {
      return !emitter.listening;
    }
    if ('exitCode' in emitter && 'signalCode' in emitter && typeof emitter.kill === 'function') {
      return emitter.exitCode !== null || emitter.signalCode !== null;
    }
    if (emitter.destroyed === true || emitter.closed === true) return true;
    if (closed_wrapper(emitter)) return true;
    // A watcher (FSWatcher, StatWatcher) or socket that let go of its handle: closed.
    if (own_handle(emitter) === null && typeof emitter.close === 'function') {
      return true;
    }
    if (typeof AbortSignal === 'function' && emitter instanceof AbortSignal) return emitter.aborted;
  } catch {
    return false;
  }
  return false;
}

// A wrapper of a server it owns (ws's WebSocketServer, which has no `listening`): its
// address() is null once closed. A wrapper whose address() throws is not judged here.
function closed_wrapper(emitter) {
  if (typeof emitter.address !== 'function' || typeof emitter.close !== 'function') return false;
  try {
    return emitter.address() === null;
  } catch {
    return false;
  }
}

// Whether an own data property of emitter is a live resource with a handle finding (ws's
// WebSocketServer holds its http.Server in `_server`): the wrapper's listeners come with
// that finding, as a live server's own do. Reads values only, never calls a getter.
const k_max_wrapper_keys = 64;
function wraps_owner(emitter, owners) {
  if (owners.size === 0) return false;
  let seen = 0;
  for (const key of Reflect.ownKeys(emitter)) {
    if (++seen > k_max_wrapper_keys) return false;
    const value = Reflect.getOwnPropertyDescriptor(emitter, key)?.value;
    if (value !== null && typeof value === 'object' && owners.has(value)) return true;
  }
  return false;
}

function emitter_class(emitter) {
  if (emitter === process) return 'process';
  const name = emitter?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'EventEmitter';
}

function add_item(groups, key, item) {
  const existing = groups.get(key);
  if (existing === undefined) groups.set(key, item);
  else existing.count += 1;
}

function collect_handles(recorder, since, cwd) {
  const groups = new Map();
  const owners = new Set();
  const child_stdio = new Set();
  const candidates = [];
  for (const record of recorder.handles) {
    const res = target_of(record);
    if (res === undefined) {
      recorder.handles.delete(record);
      continue;
    }
    const state = state_of(record.type, res, recorder.watch_paths);
    if (!state.alive) {
      recorder.handles.delete(record);
      continue;
    }
    if (record.seq <= since) continue;
    owners.add(state.owner ?? res); // a MessagePort is its own emitter
    if (record.type === 'ProcessWrap' && state.owner && Array.isArray(state.owner.stdio)) {
      for (const s of state.owner.stdio) if (s) child_stdio.add(s);
    }
    candidates.push({ record, res, state });
  }
  for (const { record, res, state } of candidates) {
    if (state.owner && (child_stdio.has(state.owner) || agent_free_socket(state.owner))) continue;
    const own = frames(holder_of(record, res, recorder));
    // Continuation of something that began before the window (and no user code in it).
    if (record.root && record.root !== record && record.root.seq <= since && !has_user_frame(own)) continue;
    // Node's own housekeeping (the Date header cache timer, ...), unref'd.
    if (!state.ref && (own.length === 0 || (is_timer(record) && wired_by(holder_of(record, res, recorder)) === 'node'))) {
      continue;
    }
    const stack = stack_of(record, res, state.owner, recorder);
    // Made by node with no user code on the stack (a test runner's own child process):
    // nobody in the plugin to point at, and not the plugin's to answer for.
    if (stack.length === 0 || runner_only(stack)) continue;
    const site = site_of(stack, cwd);
    const item = {
      type: record.type,
      ref: state.ref,
      count: 1,
      detail: state.detail,
      site,
      package: stack.length > 0 ? stack[0].package : null,
      stack,
    };
    add_item(groups, `${item.type}\0${item.ref}\0${item.detail}\0${site}`, item);
  }
  return { items: [...groups.values()], owners };
}

// Every recorded emitter still reachable, with its info; forgets those collected.
function* live_emitters(recorder) {
  for (const ref of recorder.emitters) {
    const emitter = ref.deref();
    if (emitter === undefined) {
      recorder.emitters.delete(ref);
      continue;
    }
    yield [emitter, recorder.emitter_info.get(emitter)];
  }
}

function collect_listeners(recorder, since, baseline, owners, cwd) {
  const groups = new Map();
  const seen = new Map(); // emitter -> event -> functions already counted
  for (const [emitter, info] of live_emitters(recorder)) {
    if (info === undefined || is_stdio_stream(emitter) || finished(emitter)) continue;
    // First seen in the window: a live resource's listeners come with its handle finding.
    const fresh = emitter !== process && info.first_seq > since;
    if (fresh && (owners.has(emitter) || wraps_owner(emitter, owners))) continue;
    const before = baseline.get(emitter);
    for (const rec of info.recs) {
      if (rec.seq <= since) continue;
      if (before !== undefined && before.get(rec.event)?.has(rec.fn)) continue;
      if (!attached(emitter, rec.event, rec.fn, rec.is_target)) continue;
      let per_event = seen.get(emitter);
      if (per_event === undefined) seen.set(emitter, (per_event = new Map()));
      const fns = per_event.get(rec.event) ?? new Set();
      if (fns.has(rec.fn)) continue;
      fns.add(rec.fn);
      per_event.set(rec.event, fns);
      const stack = frames(rec.holder);
      if (stack.length === 0 || runner_only(stack)) continue; // node's or the test runner's
      // Node wiring itself up (the test runner's process handlers, an http.Agent's
      // listeners), or a library wiring up its own new object: not the plugin's.
      const by = wired_by(rec.holder);
      if (by === 'node' || (fresh && by !== null)) continue;
      const event = typeof rec.event === 'symbol' ? rec.event.toString() : String(rec.event);
      const item = {
        emitter: emitter_class(emitter),
        event,
        count: 1,
        site: site_of(stack, cwd),
        package: stack[0].package,
        stack,
      };
      add_item(groups, `${item.emitter}\0${event}\0${item.site}`, item);
    }
  }
  return [...groups.values()];
}

// Builds the report body: {handles, listeners}. `since` is the sequence number at the
// window's start; `baseline` the listener snapshot taken then.
function build(recorder, since, baseline, cwd) {
  return recorder.quietly(() => {
    force_gc(); // before any WeakRef is read in this turn, so unreachable emitters go
    const { items, owners } = collect_handles(recorder, since, cwd);
    const listeners = collect_listeners(recorder, since, baseline, owners, cwd);
    return { handles: items, listeners };
  });
}

// Drops records of what is closed or detached. Run one event-loop turn before build():
// reading a WeakRef keeps its target alive until the current turn ends, so a turn that
// reads dead records cannot also tell what a garbage collection would free.
function prepare(recorder, full = true) {
  recorder.quietly(() => {
    prune_process(recorder);
    prune_timers(recorder);
    if (!full) return;
    // A dead record, and the creation stack of a handle that is closed or is stdio (which
    // lives on), may hold what was `this` on that stack (a closed server): dropped a turn
    // before the collection.
    for (const record of recorder.handles) {
      if (record.strong !== null) continue; // timers: prune_timers()
      const res = target_of(record);
      if (res === undefined) recorder.handles.delete(record);
      else if (!state_of(record.type, res, recorder.watch_paths).alive) {
        recorder.handles.delete(record);
        recorder.holders.delete(res);
      }
    }
    for (const [emitter, info] of live_emitters(recorder)) {
      if (info !== undefined) {
        info.recs = info.recs.filter((r) => attached(emitter, r.event, r.fn, r.is_target));
      }
    }
  });
}

// What is held strongly (timers, process) and is done, dropped without reading a WeakRef.
function prune_strong(recorder) {
  recorder.quietly(() => {
    prune_process(recorder);
    prune_timers(recorder);
  });
}

// Timers are held strongly: dropping the dead ones reads no WeakRef.
function prune_timers(recorder) {
  for (const record of recorder.handles) {
    if (record.strong !== null && record.strong._destroyed === true) recorder.handles.delete(record);
  }
}

// process is held strongly: its detached records can go without reading a WeakRef.
function prune_process(recorder) {
  const info = recorder.emitter_info.get(process);
  if (info !== undefined) info.recs = info.recs.filter((r) => attached(process, r.event, r.fn, false));
}

// For the recorder's periodic pruning (called from the init hook).
function is_dead(record, recorder) {
  if (record.strong !== null) return record.strong._destroyed === true;
  const res = target_of(record);
  return res === undefined || !state_of(record.type, res, recorder.watch_paths).alive;
}

module.exports = { stack_of, build, prepare, prune_strong, snapshot_listeners, is_dead, force_gc, emitter_class, finished };
