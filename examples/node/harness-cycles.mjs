#!/usr/bin/env node
// A harness that starts and stops one plugin many times with the kit's cycles():
// started() before each onStart, stopped() after each onStop, LEAKAUDIT_CYCLES times
// (set by `leakaudit run --cycles N`; 1 without it).
//   leakaudit run --cycles 10 -- node examples/node/harness-cycles.mjs examples/node/plugins/grow-heap.mjs
// PLUGIN is a path, or a name of examples/node/plugins ("grow-heap").
// Installed, the import is `import { cycles } from 'leakaudit/node'`; here it is the
// source tree's kit. Exit code: 0, 1 when the plugin cannot load or a start/stop throws,
// 2 without a plugin.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EventEmitter } from 'node:events';
import { cycles } from '../../kits/node/index.mjs';

const log = (msg) => process.stderr.write(`harness: ${msg}\n`);
const arg = process.argv[2];
if (!arg) {
  log('usage: node harness-cycles.mjs PLUGIN');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const file = fs.existsSync(arg) || arg.includes('/') ? path.resolve(arg) : path.join(here, 'plugins', `${arg}.mjs`);

class Host extends EventEmitter {}
const host = new Host();
let plugin;
try {
  const mod = await import(pathToFileURL(file).href);
  plugin = mod.default ?? mod;
} catch (err) {
  log(`cannot load plugin ${arg}: ${err?.stack ?? err}`);
  process.exit(1);
}
const ctx = { name: plugin.name, host, tmpdir: '/tmp', log: (msg) => process.stderr.write(`[plugin] ${msg}\n`) };
try {
  const done = await cycles({ start: () => plugin.onStart?.(ctx), stop: () => plugin.onStop?.(ctx) });
  log(`stopped after ${done} cycle(s)`);
} catch (err) {
  log(`a cycle failed: ${err?.stack ?? err}`);
  process.exitCode = 1;
}
