#!/usr/bin/env node
// A tiny plugin harness in the style of a plugin framework, for leakaudit's examples.
//
//   node examples/node/harness.mjs examples/node/plugins/<name>.mjs
//
// It loads one plugin module ({ name, onStart(ctx), onStop(ctx) }), starts it, stops
// it, and then simply returns: it never calls process.exit(), so a plugin that leaves a
// timer or a server behind keeps the event loop (and this process) alive, which is what
// `leakaudit run` reports as "did not exit after stop".
//
// If LEAKAUDIT_CONTROL_FD is set, it writes the control channel (JSON lines):
//   {"event":"started"}                      before onStart
//   {"event":"handles","items":[...]}        what the plugin added and still holds
//   {"event":"stopped"}                      after onStop resolved
// Exit code: 0 on success, 1 if onStart or onStop throws (or the plugin cannot load).

import path from 'node:path';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { readSync, writeSync } from 'node:fs';

const log = (msg) => process.stderr.write(`harness: ${msg}\n`);

// ---- control channel ---------------------------------------------------------------

const controlFd = (() => {
  const raw = process.env.LEAKAUDIT_CONTROL_FD;
  if (raw === undefined || raw === '') return null;
  const fd = Number(raw);
  return Number.isInteger(fd) && fd >= 0 ? fd : null;
})();

const ackFd = (() => {
  const fd = Number(process.env.LEAKAUDIT_ACK_FD ?? '');
  return process.env.LEAKAUDIT_ACK_FD && Number.isInteger(fd) && fd >= 0 ? fd : null;
})();

// leakaudit answers `started` and `stopped` with one line on LEAKAUDIT_ACK_FD once it
// has taken its baseline / audited. Waiting for it (synchronously: nothing else may run
// meanwhile) makes the checkpoint exact: the plugin has not started yet when the
// baseline is read, and the harness still holds everything while it is audited.
function awaitAck() {
  if (ackFd === null) return;
  const byte = Buffer.alloc(1);
  try {
    while (readSync(ackFd, byte, 0, 1, null) === 1 && byte[0] !== 0x0a) { /* one line */ }
  } catch {
    // EAGAIN/EBADF: no leakaudit listening; carry on unsynchronised.
  }
}

function control(obj) {
  if (controlFd === null) return;
  try {
    writeSync(controlFd, JSON.stringify(obj) + '\n');
  } catch {
    // EBADF (not open), EPIPE (leakaudit went away), ...: the channel is optional.
    return;
  }
  if (obj.event === 'started' || obj.event === 'stopped') awaitAck();
}

// ---- timer bookkeeping (for useful handle details) -----------------------------------
// process.getActiveResourcesInfo() only says "Timeout"; to say "setInterval 60000ms"
// we remember the timers created through the globals while the plugin runs.

const trackedTimers = new Set();
for (const fnName of ['setTimeout', 'setInterval']) {
  const original = globalThis[fnName];
  globalThis[fnName] = function (callback, delay, ...args) {
    const timer = original.call(this, callback, delay, ...args);
    if (timer && typeof timer === 'object') {
      trackedTimers.add({ timer, kind: fnName, delay: Number(delay) || 1, stack: callerOf(new Error()) });
    }
    return timer;
  };
}

// The first stack frame outside this file: who created the timer.
function callerOf(err) {
  const lines = String(err.stack || '').split('\n').slice(1);
  const self = import.meta.url;
  for (const line of lines) {
    if (!line.includes(self) && !line.includes('node:internal')) {
      return line.trim().replace(/^at\s+/, '');
    }
  }
  return null;
}

function liveTimers() {
  const live = [];
  for (const entry of trackedTimers) {
    const t = entry.timer;
    // Timeout objects: _destroyed is set once cleared or fired (for a non-repeating one).
    if (t._destroyed === true) { trackedTimers.delete(entry); continue; }
    if (typeof t.hasRef === 'function' && !t.hasRef()) continue;
    live.push(entry);
  }
  return live;
}

// ---- active resources --------------------------------------------------------------

function resourceCounts() {
  const counts = new Map();
  const names = typeof process.getActiveResourcesInfo === 'function'
    ? process.getActiveResourcesInfo()
    : [];
  for (const name of names) counts.set(name, (counts.get(name) || 0) + 1);
  return counts;
}

// Listening servers, for "TCPServerWrap" details (undocumented but long-standing API).
function listeningAddresses() {
  const out = [];
  const handles = typeof process._getActiveHandles === 'function' ? process._getActiveHandles() : [];
  for (const h of handles) {
    if (h && typeof h.address === 'function' && h.listening) {
      const a = h.address();
      if (a && typeof a === 'object') out.push(`${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
      else if (typeof a === 'string') out.push(a);
    }
  }
  return out;
}

// Resources present now but not in `before` (a multiset difference), with details.
function addedHandles(before) {
  const now = resourceCounts();
  const items = [];
  for (const [type, n] of now) {
    const added = n - (before.get(type) || 0);
    if (added <= 0) continue;
    let detail = `${added} active`;
    if (type === 'Timeout') {
      const timers = liveTimers();
      if (timers.length > 0) {
        detail = timers
          .map((t) => `${t.kind} ${t.delay}ms${t.stack ? ` at ${t.stack}` : ''}`)
          .join('; ');
      }
    } else if (type === 'TCPServerWrap' || type === 'PipeServerWrap') {
      const addrs = listeningAddresses();
      detail = addrs.length > 0 ? `${added} listening: ${addrs.join(', ')}` : `${added} listening`;
    } else if (type === 'ProcessWrap') {
      detail = `${added} child process handle(s) still referenced`;
    } else if (type === 'FSReqCallback' || type === 'FSReqPromise') {
      detail = `${added} pending fs request(s)`;
    }
    items.push({ type, detail });
  }
  return items;
}

function settle() {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

// ---- main --------------------------------------------------------------------------

async function main() {
  const arg = process.argv[2];
  if (!arg) {
    log('usage: node harness.mjs PLUGIN.mjs');
    process.exitCode = 2;
    return;
  }

  let plugin;
  try {
    const mod = await import(pathToFileURL(path.resolve(arg)).href);
    plugin = mod.default ?? mod;
  } catch (err) {
    log(`cannot load plugin ${arg}: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 1;
    return;
  }
  const name = plugin.name || path.basename(arg, path.extname(arg));
  const ctx = {
    name,
    tmpdir: os.tmpdir(),
    log: (msg) => process.stderr.write(`[${name}] ${msg}\n`),
  };

  // The first stderr write above creates process.stderr's handle: take the baseline
  // after it, so only what the plugin adds is reported.
  log(`starting plugin ${name}`);
  const before = resourceCounts();
  control({ event: 'started' });

  let failed = false;
  try {
    await plugin.onStart?.(ctx);
    log(`started plugin ${name}`);
  } catch (err) {
    failed = true;
    log(`onStart failed: ${err && err.stack ? err.stack : err}`);
  }

  // Stop even after a failed start: a framework gives the plugin a chance to clean up.
  try {
    await plugin.onStop?.(ctx);
  } catch (err) {
    failed = true;
    log(`onStop failed: ${err && err.stack ? err.stack : err}`);
  }

  // Let handles the plugin already closed finish closing (libuv runs close callbacks
  // after the check phase), so e.g. a child awaited via 'exit' is not reported.
  await settle();
  const items = addedHandles(before);
  control({ event: 'handles', items });
  control({ event: 'stopped' });
  if (items.length > 0) {
    log(`stopped (still holding: ${items.map((i) => `${i.type} (${i.detail})`).join(', ')})`);
  } else {
    log('stopped');
  }
  if (failed) process.exitCode = 1;
  // No process.exit(): whatever the plugin left referenced keeps us alive.
}

await main();
