#!/usr/bin/env node
// The same harness with the kit's API: started() before onStart, stopped() after onStop.
// Installed, the import is `import { started, stopped } from 'leakaudit/node'`
// (npm pack of share/leakaudit/node); here it is the source tree's kit.
//   leakaudit run -- node examples/node/harness-kit.mjs PLUGIN.mjs
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventEmitter } from 'node:events';
import { started, stopped } from '../../kits/node/index.mjs';

class Host extends EventEmitter {}
export const host = new Host();
const mod = await import(pathToFileURL(path.resolve(process.argv[2])).href);
const plugin = mod.default ?? mod;
const ctx = { name: plugin.name, host, tmpdir: '/tmp', log: (msg) => process.stderr.write(`[plugin] ${msg}\n`) };
process.stderr.write('harness: starting\n');
await started();
await plugin.onStart?.(ctx);
await plugin.onStop?.(ctx);
await stopped();
process.stderr.write('harness: stopped\n');
