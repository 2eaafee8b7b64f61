'use strict';
// Recording from load: async resources that can keep the event loop alive (async_hooks
// `init`) and listeners added to EventEmitters and EventTargets, each with a creation
// stack captured cheaply (lib/stack.cjs). Nothing is judged here: liveness and
// attachment are checked at report time (lib/report.cjs), never by tracking removals.

const async_hooks = require('node:async_hooks');
const events = require('node:events');
const fs = require('node:fs');
const { capture } = require('./stack.cjs');
const { Stream } = require('node:stream');

// Streams (sockets, requests, responses, fs and zlib streams) get many listeners, nearly
// all from node itself, and a stream's listeners go with the stream: a live socket is
// its handle's finding, a finished stream's listeners never fire. Not recorded: a
// stack per on() on every stream costs more than the plugin's own test.

// async_hooks type -> the type reported (kits/node/PROTOCOL.md, "A handle item").
// Requests (FSREQCALLBACK, GETADDRINFOREQWRAP, ...) finish on their own and are not
// recorded: a stack per fs call would cost more than it tells.
const k_types = new Map([
  ['Timeout', 'Timeout'],
  ['Immediate', 'Immediate'],
  ['TCPSERVERWRAP', 'TCPServerWrap'],
  ['TCPWRAP', 'TCPWRAP'],
  ['PIPESERVERWRAP', 'PipeServerWrap'],
  ['PIPEWRAP', 'PipeWrap'],
  ['PROCESSWRAP', 'ProcessWrap'],
  ['FSEVENTWRAP', 'FSEventWrap'],
  ['STATWATCHER', 'StatWatcher'],
  ['WORKER', 'Worker'],
  ['MESSAGEPORT', 'MessagePort'],
  ['UDPWRAP', 'UDPWrap'],
  ['TTYWRAP', 'TTYWrap'],
]);

const k_min_prune = 4096;

class Recorder {
  constructor() {
    this.seq = 0;
    this.internal = 0; // > 0 while the kit itself creates handles or listeners
    this.handles = new Set(); // records {seq, type, strong | weak (WeakRef), root, holder}
    this.holders = new WeakMap(); // resource -> its creation stack
    this.by_resource = new WeakMap(); // resource -> its record (async parent lookup)
    this.emitters = new Set(); // WeakRef(emitter), for enumeration
    this.emitter_info = new WeakMap(); // emitter -> {first_seq, recs, next_prune}
    this.watch_paths = new WeakMap(); // FSWatcher / StatWatcher -> watched path
    this.owner_sites = new WeakMap(); // Server / Socket -> stack of its listen() / connect()
    this.next_handle_prune = k_min_prune;
    this.next_emitter_prune = k_min_prune;
    this.is_dead = () => false; // set by the report side: (record) -> boolean
  }

  install() {
    this.hook_async();
    this.patch_emitter();
    this.patch_event_target();
    this.patch_fs_watch();
    this.patch_owner_sites();
    this.note_emitter(process); // process is always judged
  }

  hook_async() {
    const self = this;
    const execution_resource = async_hooks.executionAsyncResource;
    // An exception thrown from an async_hooks callback ends the process: never throw.
    function init(_id, type, _trigger, resource) {
      if (type === 'PROMISE' || self.internal > 0) return;
      const name = k_types.get(type);
      if (name === undefined) return;
      try {
        record_resource(name, resource);
      } catch {
        /* not recorded */
      }
    }
    function record_resource(name, resource) {
      const current = execution_resource();
      const parent = self.by_resource.get(current);
      let root = null;
      if (parent !== undefined) {
        root = parent.root ?? parent;
        // A chain's first resource keeps its stack for as long as the chain lives.
        if (root.holder === null) root.holder = self.holders.get(current) ?? null;
      }
      let record;
      if (name === 'Timeout' || name === 'Immediate') {
        // Hot path: held strongly (a WeakRef per timer costs more than it saves) and
        // dropped by prune_handles() once cleared or fired.
        record = { seq: ++self.seq, type: name, strong: resource, weak: null, root, holder: capture(init) };
      } else {
        record = { seq: ++self.seq, type: name, strong: null, weak: new WeakRef(resource), root, holder: null };
        // Keyed by the handle: the stack (and what its frames reference) goes with it.
        self.holders.set(resource, capture(init));
      }
      self.by_resource.set(resource, record);
      self.handles.add(record);
      if (self.handles.size >= self.next_handle_prune) self.prune_handles();
    }
    this.hook = async_hooks.createHook({ init });
    this.hook.enable();
  }

  prune_handles() {
    for (const record of this.handles) {
      if (target_of(record) === undefined || this.is_dead(record)) this.handles.delete(record);
    }
    this.next_handle_prune = Math.max(k_min_prune, this.handles.size * 2);
  }

  note_emitter(emitter) {
    let info = this.emitter_info.get(emitter);
    if (info === undefined) {
      info = { first_seq: this.seq + 1, recs: [], next_prune: 16 };
      this.emitter_info.set(emitter, info);
      this.emitters.add(new WeakRef(emitter));
      if (this.emitters.size >= this.next_emitter_prune) this.prune_emitters();
    }
    return info;
  }

  prune_emitters() {
    for (const ref of this.emitters) if (ref.deref() === undefined) this.emitters.delete(ref);
    this.next_emitter_prune = Math.max(k_min_prune, this.emitters.size * 2);
  }

  note_listener(emitter, event, fn, holder, is_target) {
    if (typeof emitter !== 'object' && typeof emitter !== 'function') return;
    if (emitter === null || fn === null || fn === undefined) return;
    const info = this.note_emitter(emitter);
    const listener = typeof fn === 'function' && typeof fn.listener === 'function' ? fn.listener : fn;
    info.recs.push({ seq: ++this.seq, event, fn: listener, holder, is_target });
    if (info.recs.length >= info.next_prune) {
      info.recs = info.recs.filter((r) => attached(emitter, r.event, r.fn, r.is_target));
      info.next_prune = Math.max(16, info.recs.length * 2);
    }
  }

  // note_listener(), for patched methods: the host's call already succeeded; whatever
  // happens here must not turn it into a failure.
  safely(emitter, event, fn, holder, is_target) {
    try {
      this.note_listener(emitter, event, fn, holder, is_target);
    } catch {
      /* not recorded */
    }
  }

  patch_emitter() {
    const self = this;
    const proto = events.EventEmitter.prototype;
    const original_on = proto.on;
    const original_prepend = proto.prependListener;
    function on(event, listener) {
      const result = original_on.call(this, event, listener);
      if (self.internal === 0 && !(this instanceof Stream)) self.safely(this, event, listener, capture(on), false);
      return result;
    }
    function prependListener(event, listener) {
      const result = original_prepend.call(this, event, listener);
      if (self.internal === 0) {
        self.safely(this, event, listener, capture(prependListener), false);
      }
      return result;
    }
    // once() and prependOnceListener() go through this.on / this.prependListener with
    // a wrapper whose .listener is the function: one listener, not two.
    proto.on = on;
    proto.addListener = on;
    proto.prependListener = prependListener;
  }

  patch_event_target() {
    if (typeof EventTarget !== 'function') return;
    const self = this;
    const proto = EventTarget.prototype;
    const original_add = proto.addEventListener;
    function addEventListener(type, listener, options) {
      const result = original_add.call(this, type, listener, options);
      if (self.internal === 0 && listener !== null && listener !== undefined) {
        self.safely(this, type, listener, capture(addEventListener), true);
      }
      return result;
    }
    proto.addEventListener = addEventListener;
  }

  // fs.watch / fs.watchFile: remember the path for the handle's detail.
  patch_fs_watch() {
    const self = this;
    const original_watch = fs.watch;
    const original_watch_file = fs.watchFile;
    fs.watch = function watch(filename, ...rest) {
      const watcher = original_watch.call(this, filename, ...rest);
      self.remember_path(watcher, filename);
      return watcher;
    };
    fs.watchFile = function watchFile(filename, ...rest) {
      const watcher = original_watch_file.call(this, filename, ...rest);
      self.remember_path(watcher, filename);
      return watcher;
    };
    try {
      require('node:module').syncBuiltinESMExports();
    } catch {
      /* older Node: CommonJS callers still get the path */
    }
  }

  // listen() and connect() may create their handle after a DNS lookup or on the next
  // tick, when the stack no longer holds the caller: remember the caller's stack on the
  // owner, for a handle whose own stack holds no user code.
  patch_owner_sites() {
    const self = this;
    const patch = (proto, method) => {
      const original = proto[method];
      if (typeof original !== 'function') return;
      const wrapped = {
        [method](...args) {
          try {
            if (self.internal === 0 && !self.owner_sites.has(this)) self.owner_sites.set(this, capture(wrapped));
          } catch {
            /* not recorded */
          }
          return original.apply(this, args);
        },
      }[method];
      proto[method] = wrapped;
    };
    const net = require('node:net');
    patch(net.Server.prototype, 'listen');
    patch(net.Socket.prototype, 'connect');
    patch(require('node:dgram').Socket.prototype, 'bind');
  }

  remember_path(watcher, filename) {
    try {
      if (watcher === null || typeof watcher !== 'object') return;
      const name = Buffer.isBuffer(filename) ? filename.toString() : String(filename);
      this.watch_paths.set(watcher, filename instanceof URL ? filename.pathname : name);
    } catch {
      /* no path in the detail */
    }
  }

  // Runs fn with recording off: the kit's own handles and listeners are not the plugin's.
  quietly(fn) {
    this.internal++;
    try {
      return fn();
    } finally {
      this.internal--;
    }
  }
}

// The resource of a handle record, or undefined once collected.
function target_of(record) {
  return record.strong ?? record.weak.deref();
}

// The creation stack of a handle record whose resource is res.
function holder_of(record, res, recorder) {
  return record.holder ?? recorder.holders.get(res);
}

// Whether fn is still attached to emitter for event: rawListeners holds it or a once()
// wrapper whose .listener is it (for an EventTarget: getEventListeners holds it).
function attached(emitter, event, fn, is_target) {
  let list;
  try {
    if (is_target) list = events.getEventListeners(emitter, event);
    else if (typeof emitter.rawListeners === 'function') list = emitter.rawListeners(event);
    else return false;
  } catch {
    return false;
  }
  for (const l of list) if (l === fn || (l !== null && l !== undefined && l.listener === fn)) return true;
  return false;
}

module.exports = { Recorder, attached, target_of, holder_of };
