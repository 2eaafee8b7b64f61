'use strict';
// The `metrics` event of repeated start/stop cycles (kits/node/PROTOCOL.md, "Cycles"):
// what the whole process holds now, not only what the plugin added, so that leakaudit
// can see a quantity rise from cycle to cycle: heap used after a forced full garbage
// collection, resident set size, every live handle by type and every listener on the
// emitters the kit knows by emitter class and event, each with the creation site of the
// newest one made since the first started(). Nothing is judged here.

const events = require('node:events');
const { frames, site_of, wired_by } = require('./stack.cjs');
const { target_of, holder_of } = require('./record.cjs');
const { state_of } = require('./live.cjs');
const { force_gc, emitter_class, finished, prune_strong } = require('./report.cjs');

// At most this many items per list (as leakaudit bounds every list it reads), and
// texts cut to keep one line far below leakaudit's 1 MiB line limit.
const k_max_items = 1000;
const k_max_text = 300;

function cut(text) {
  return text.length > k_max_text ? `${text.slice(0, k_max_text - 1)}\u2026` : text;
}

// Bytes of the V8 heap in use after a full collection. Called first in its event-loop
// turn: a WeakRef read earlier in the same turn would keep its target alive.
function heap_after_gc() {
  force_gc();
  force_gc(); // a second pass frees what the first one's finalizers let go
  return process.memoryUsage().heapUsed;
}

function rss() {
  return typeof process.memoryUsage.rss === 'function' ? process.memoryUsage.rss() : process.memoryUsage().rss;
}

// Keeps, per key, a count and the newest record made after `since` (its seq and a
// function giving its creation stack, called once per key at the end).
function tally(groups, key, fields, seq, since, stack_of) {
  let group = groups.get(key);
  if (group === undefined) {
    group = { fields, count: 0, newest: -1, stack_of: null };
    groups.set(key, group);
  }
  group.count += 1;
  if (since !== null && seq > since && seq > group.newest) {
    group.newest = seq;
    group.stack_of = stack_of;
  }
}

// The biggest counts first (a growing quantity is among them), then by key; at most
// k_max_items, each with its site when one was made since the first started().
function items_of(groups, cwd) {
  const sorted = [...groups.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  return sorted.slice(0, k_max_items).map(([, g]) => {
    const item = { ...g.fields, count: g.count };
    if (g.stack_of !== null) {
      const site = site_of(g.stack_of(), cwd);
      if (site !== null) item.site = cut(site);
    }
    return item;
  });
}

// Every live handle the kit recorded, by type (what node made before the kit loaded,
// such as stdio, is not among them and does not change from cycle to cycle), but node's
// unref'd housekeeping.
function handles(recorder, since, cwd) {
  const groups = new Map();
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
    if (!state.ref && node_housekeeping(record, res, recorder)) continue;
    tally(groups, record.type, { type: record.type }, record.seq, since, () =>
      frames(holder_of(record, res, recorder)),
    );
  }
  return items_of(groups, cwd);
}

// An unref'd handle node made for itself (the Date header cache timer): it comes and
// goes on its own, as lib/report.cjs leaves it out of reports.
function node_housekeeping(record, res, recorder) {
  const holder = holder_of(record, res, recorder);
  if (frames(holder).length === 0) return true;
  return (record.type === 'Timeout' || record.type === 'Immediate') && wired_by(holder) === 'node';
}

function listeners_now(emitter, name) {
  try {
    if (typeof emitter.rawListeners === 'function') return emitter.rawListeners(name);
    return events.getEventListeners(emitter, name);
  } catch {
    return [];
  }
}

function event_names(emitter, info) {
  const names = new Set();
  try {
    if (typeof emitter.eventNames === 'function') for (const n of emitter.eventNames()) names.add(n);
  } catch {
    /* an EventTarget: only the events the kit saw */
  }
  if (info !== undefined) for (const r of info.recs) names.add(r.event);
  return names;
}

// Every listener on process and on each emitter the kit saw a listener added to, by
// emitter class and event; left out: the kit's own (`own`, a Set of functions), those
// node added for itself after the kit loaded, and those on a closed server, finished
// stream or exited child (they never fire; what such an emitter holds is heap, and when
// it is collected depends on the garbage collector, not on the plugin).
function listeners(recorder, since, cwd, own) {
  const groups = new Map();
  const seen = new Set();
  const take = (emitter) => {
    if (seen.has(emitter) || finished(emitter)) return;
    seen.add(emitter);
    const info = recorder.emitter_info.get(emitter);
    const cls = emitter_class(emitter);
    const recs = recs_by_event(info);
    for (const name of event_names(emitter, info)) {
      const event = cut(typeof name === 'symbol' ? name.toString() : String(name));
      const key = `${cls}\0${event}`;
      for (const l of listeners_now(emitter, name)) {
        const fn = l !== null && typeof l === 'function' && typeof l.listener === 'function' ? l.listener : l;
        if (own.has(fn) || own.has(l)) continue;
        const rec = recs.get(name)?.get(fn);
        // Node wiring itself up (the ESM loader's `exit` handler during a top-level
        // await): no frame outside node on its creation stack.
        if (rec !== undefined && frames(rec.holder).length === 0) continue;
        tally(groups, key, { emitter: cut(cls), event }, rec !== undefined ? rec.seq : -1, since, () => frames(rec.holder));
      }
    }
  };
  take(process);
  for (const ref of recorder.emitters) {
    const emitter = ref.deref();
    if (emitter === undefined) recorder.emitters.delete(ref);
    else take(emitter);
  }
  return items_of(groups, cwd);
}

// event -> listener function -> the kit's newest record of it being added.
function recs_by_event(info) {
  const by_event = new Map();
  if (info === undefined) return by_event;
  for (const r of info.recs) {
    let by_fn = by_event.get(r.event);
    if (by_fn === undefined) by_event.set(r.event, (by_fn = new Map()));
    by_fn.set(r.fn, r); // recs are in order: the newest wins
  }
  return by_event;
}

// The `metrics` event; `since` is the recorder's sequence number at the first
// started() (null before it: no site), `own` the kit's own listener functions.
function collect(recorder, since, cwd, own) {
  return recorder.quietly(() => {
    prune_strong(recorder); // a cleared timer's record must not keep its closure alive
    const heap_used_bytes = heap_after_gc();
    return {
      event: 'metrics',
      pid: process.pid,
      heap_used_bytes,
      rss_bytes: rss(),
      handles: handles(recorder, since, cwd),
      listeners: listeners(recorder, since, cwd, own),
    };
  });
}

module.exports = { collect, heap_after_gc, k_max_items };
