'use strict';
// Liveness of a recorded async resource at report time, from the resource itself and
// its owner (the Server, Socket, ChildProcess, FSWatcher... that holds the handle):
// an owner drops its `_handle` when it closes, so a closing server is not alive even
// though libuv still holds its handle for one more turn.

let k_owner_symbol = null;

function owner_of(handle) {
  if (k_owner_symbol === null) {
    for (const s of Object.getOwnPropertySymbols(handle)) {
      if (s.description === 'owner_symbol') {
        k_owner_symbol = s;
        break;
      }
    }
    if (k_owner_symbol === null) return null;
  }
  const owner = handle[k_owner_symbol];
  return owner !== undefined && owner !== null && owner !== handle ? owner : null;
}

// An own `_handle` data property, or undefined: never a getter (dgram's is deprecated
// and warns when read).
function own_handle(object) {
  const d = Object.getOwnPropertyDescriptor(object, '_handle');
  return d !== undefined && 'value' in d ? d.value : undefined;
}

// Whether owner still holds handle: `_handle`, a `kHandle` symbol (Worker) or a state
// object's `handle` (dgram).
function owner_holds(owner, handle) {
  if (own_handle(owner) === handle) return true;
  for (const s of Object.getOwnPropertySymbols(owner)) {
    const value = owner[s];
    if (value === handle) return true;
    if (value !== null && typeof value === 'object' && value.handle === handle) return true;
  }
  return false;
}

function has_ref(object) {
  try {
    return typeof object.hasRef === 'function' ? Boolean(object.hasRef()) : true;
  } catch {
    return false;
  }
}

function stdio_fd(handle) {
  try {
    const fd = handle.fd;
    return typeof fd === 'number' && fd >= 0 && fd <= 2;
  } catch {
    return false;
  }
}

function sockname(handle, method) {
  const out = {};
  try {
    if (typeof handle[method] !== 'function' || handle[method](out) !== 0) return null;
  } catch {
    return null;
  }
  if (out.port === undefined) return null;
  return out.family === 'IPv6' || out.family === 6 ? `[${out.address}]:${out.port}` : `${out.address}:${out.port}`;
}

function timer_detail(timer) {
  const delay = timer._idleTimeout;
  return `${timer._repeat ? 'setInterval' : 'setTimeout'} ${delay}ms`;
}

// A socket parked in an http.Agent's free pool (keep-alive): the agent's, not a leak.
function agent_free_socket(socket) {
  try {
    return !socket._httpMessage && socket.listenerCount('agentRemove') > 0;
  } catch {
    return false;
  }
}

// {alive, ref, detail, owner} for a record whose resource is `res`; alive is false for
// what is closed, closing, finished, or one of the process's stdio handles.
function state_of(type, res, watch_paths) {
  if (type === 'Timeout') {
    return { alive: res._destroyed !== true, ref: has_ref(res), detail: timer_detail(res), owner: null };
  }
  if (type === 'Immediate') {
    return { alive: res._destroyed !== true, ref: has_ref(res), detail: 'setImmediate', owner: null };
  }
  if (type === 'MessagePort') {
    // An unref'd or closed port cannot be told apart: report only ref'd ones.
    const ref = has_ref(res);
    return { alive: ref, ref, detail: 'message port', owner: null };
  }
  if (stdio_fd(res)) return { alive: false };
  const owner = owner_of(res);
  const ref = has_ref(res);
  const alive = owner !== null ? owner_holds(owner, res) : ref;
  if (!alive) return { alive: false };
  return { alive, ref, detail: handle_detail(type, res, owner, watch_paths), owner };
}

function handle_detail(type, res, owner, watch_paths) {
  switch (type) {
    case 'TCPServerWrap': {
      const address = sockname(res, 'getsockname');
      return address ? `server listening on ${address}` : 'server';
    }
    case 'PipeServerWrap':
      return owner && owner._pipeName ? `server listening on ${owner._pipeName}` : 'pipe server';
    case 'TCPWRAP': {
      const local = sockname(res, 'getsockname');
      const peer = sockname(res, 'getpeername');
      return `socket ${local ?? '?'} -> ${peer ?? '?'}`;
    }
    case 'PipeWrap':
      return owner && owner._pipeName ? `pipe ${owner._pipeName}` : 'pipe';
    case 'ProcessWrap': {
      if (!owner) return 'child process';
      const args = Array.isArray(owner.spawnargs) ? owner.spawnargs.join(' ') : owner.spawnfile;
      return `child pid ${owner.pid}: ${args}`;
    }
    case 'FSEventWrap':
    case 'StatWatcher': {
      const file = owner ? watch_paths.get(owner) : undefined;
      const kind = type === 'FSEventWrap' ? 'fs.watch' : 'fs.watchFile';
      return file !== undefined ? `${kind} ${file}` : kind;
    }
    case 'Worker': {
      const id = owner?.threadId ?? res.threadId;
      return typeof id === 'number' ? `worker thread ${id}` : 'worker thread';
    }
    case 'UDPWrap': {
      const address = sockname(res, 'getsockname');
      return address ? `udp socket ${address}` : 'udp socket';
    }
    default:
      return type;
  }
}

module.exports = { state_of, agent_free_socket, owner_of, own_handle };
