'use strict';
// Creation stacks, captured cheaply and formatted only at report time.
//
// capture() stores V8's structured call sites on a holder object with
// Error.captureStackTrace: V8 keeps the raw frames and formats them only when
// `holder.stack` is read. frames() reads it once, with Error.prepareStackTrace
// returning the call sites themselves, and turns them into plain frames
// ({file, line, column, function, package}), dropping node internals and the kit.
// See kits/node/PROTOCOL.md ("A handle item") for the shape.

const path = require('node:path');
const { fileURLToPath } = require('node:url');

const k_kit_dir = path.resolve(__dirname, '..');
const k_kit_lib = __dirname + path.sep;
const k_kit_files = new Set(['preload.cjs', 'index.cjs', 'index.mjs'].map((f) => path.join(k_kit_dir, f)));
// Frames kept per capture: past node's own (async_hooks, timers: ~5) and a library's
// into the plugin. Capture time grows with it; a timer chain falls back on its first
// resource's stack (lib/report.cjs) for what is deeper.
const k_limit = 16;
const k_site_parts = 4;

function capture(above, limit = k_limit) {
  const holder = {};
  const saved = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = limit;
  } catch {
    /* a host that froze it: its limit */
  }
  try {
    Error.captureStackTrace(holder, above);
  } catch {
    /* no stack */
  }
  if (Error.stackTraceLimit !== saved) {
    try {
      Error.stackTraceLimit = saved;
    } catch {
      /* unchanged */
    }
  }
  return holder;
}

function return_call_sites(_error, sites) {
  return sites;
}

// The call sites of a holder made by capture(), or [] when unavailable; `mapper` is
// the Error.prepareStackTrace installed by the host (source-map-support, Vitest, Jest),
// used to map each frame to its source.
function call_sites(holder) {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = return_call_sites;
  try {
    const sites = holder.stack;
    return { sites: Array.isArray(sites) ? sites : [], mapper: typeof saved === 'function' ? saved : null };
  } catch {
    return { sites: [], mapper: null };
  } finally {
    Error.prepareStackTrace = saved;
  }
}

const k_frame_text = /\(?((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?\s*$/;

// {file, line, column} of one call site as the host's prepareStackTrace prints it, or
// null. Only used when the host installed one (it maps transformed code to its source).
function mapped(mapper, site) {
  try {
    const text = mapper(new Error(''), [site]);
    if (typeof text !== 'string') return null;
    const last = text.trimEnd().split('\n').pop();
    const m = k_frame_text.exec(last);
    return m ? { file: to_path(m[1]), line: Number(m[2]), column: Number(m[3]) } : null;
  } catch {
    return null;
  }
}

function to_path(name) {
  if (typeof name !== 'string' || name === '') return null;
  if (name.startsWith('file://')) {
    try {
      return fileURLToPath(name);
    } catch {
      return null;
    }
  }
  return name;
}

function is_internal(file) {
  if (file === null) return true;
  if (file.startsWith('node:') || file.startsWith('internal/')) return true;
  // WebAssembly has no source line to point at; in node it is undici's HTTP parser
  // (fetch), which schedules its own setImmediate: the JS around it decides.
  if (file.startsWith('wasm:')) return true;
  if (!path.isAbsolute(file)) return !file.includes('/'); // "events.js" style builtins
  return file.startsWith(k_kit_lib) || k_kit_files.has(file);
}

// "node_modules/@scope/name/..." -> "@scope/name"; the innermost node_modules wins.
function package_of(file) {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return null;
  const parts = file.slice(at + marker.length).split(path.sep);
  if (parts[0].startsWith('@') && parts.length > 1) return `${parts[0]}/${parts[1]}`;
  return parts[0] || null;
}

// undefined while the frame is the kit's or passes a listener on; else wired_by's value.
function first_caller(site, frame) {
  if (frame !== null) return frame.package;
  let file = null;
  try {
    file = to_path(site.getFileName());
  } catch {
    file = null;
  }
  if (file === null || k_pass_through.has(file)) return undefined;
  if (file.startsWith(k_kit_lib) || k_kit_files.has(file)) return undefined;
  return 'node';
}

function frame_of(site, mapper) {
  let file;
  try {
    file = to_path(site.getFileName() || site.getScriptNameOrSourceURL?.());
  } catch {
    return null;
  }
  if (is_internal(file)) return null;
  const where = mapper !== null ? mapped(mapper, site) : null;
  let name = null;
  try {
    name = site.getFunctionName() || site.getMethodName() || null;
  } catch {
    name = null;
  }
  if (where !== null && where.file !== null && !is_internal(where.file)) {
    return { file: where.file, line: where.line, column: where.column, function: name, package: package_of(where.file) };
  }
  return {
    file,
    line: site.getLineNumber() || 0,
    column: site.getColumnNumber() || 0,
    function: name,
    package: package_of(file),
  };
}

// Node's own files that only pass a call on (once(), Readable.on, EventTarget,
// setTimeout, the async_hooks init): the code above them is the one that made it.
const k_pass_through = new Set([
  'node:internal/async_hooks',
  'node:timers',
  'node:internal/timers',
  'node:events',
  'node:internal/streams/readable',
  'node:internal/streams/legacy',
  'node:internal/event_target',
]);

// Who made the call: 'node' (node's own code, as an http.Agent wiring itself up), a
// package name, or null (user code). Read after frames().
function wired_by(holder) {
  return holder?.wired_by ?? null;
}

// Plain frames of a holder, innermost first, node internals and the kit dropped.
// The result is cached on the holder (the raw call sites are released).
function frames(holder) {
  if (holder === null || holder === undefined) return [];
  if (holder.frames !== undefined) return holder.frames;
  const out = [];
  let by = undefined;
  const { sites, mapper } = call_sites(holder);
  for (const site of sites) {
    const f = frame_of(site, mapper);
    if (by === undefined) by = first_caller(site, f);
    if (f !== null) out.push(f);
  }
  holder.frames = out;
  holder.wired_by = by ?? null;
  try {
    // Overwritten before deleted: only then does V8 let go of the call sites, which
    // hold each frame's `this` and function (a closed server would stay reachable).
    holder.stack = undefined;
    delete holder.stack;
  } catch {
    /* non-configurable on some engines: keep it */
  }
  return out;
}

function relative(file, cwd) {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

// One line for people: the first frame, then each frame where the code changes hands
// (another package, or another user file), at most k_site_parts of them.
function site_of(stack, cwd) {
  if (stack.length === 0) return null;
  const parts = [];
  let previous = null;
  for (const f of stack) {
    const owner = f.package ?? f.file;
    if (previous !== null && owner === previous) continue;
    previous = owner;
    parts.push(`${relative(f.file, cwd)}:${f.line}`);
    if (parts.length === k_site_parts) break;
  }
  return parts.join(' \u2190 ');
}

module.exports = { capture, frames, wired_by, site_of, package_of, is_internal, k_kit_dir };
