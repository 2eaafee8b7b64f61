#!/usr/bin/env node
// A plain plugin harness that knows nothing of leakaudit: load, onStart, onStop, return.
//   leakaudit run --timeout 10s -- node examples/node/harness-plain.mjs PLUGIN.mjs
// The Node kit, preloaded by `leakaudit run`, names what the plugin left alive and where
// it was created; without `started()` it judges against what existed when it loaded.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventEmitter } from 'node:events';

class Host extends EventEmitter {}
export const host = new Host(); // exported: stays reachable, as a real plugin host does
const mod = await import(pathToFileURL(path.resolve(process.argv[2])).href);
const plugin = mod.default ?? mod;
const ctx = { name: plugin.name, host, tmpdir: '/tmp', log: (msg) => process.stderr.write(`[plugin] ${msg}\n`) };
process.stderr.write('harness: starting\n');
await plugin.onStart?.(ctx);
await plugin.onStop?.(ctx);
process.stderr.write('harness: stopped\n');
