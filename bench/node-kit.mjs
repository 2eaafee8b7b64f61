#!/usr/bin/env node
// Cost of the Node kit (kits/node): each scenario runs in a fresh `node` process,
// without the kit and with it preloaded as `leakaudit run --node` does (a kit folder and
// token, NODE_OPTIONS=--require preload.cjs), several times; the median of the time the
// scenario itself reports is printed, with the ratio.
//
//   node bench/node-kit.mjs [runs]        (default 5 runs per variant)
//
// Scenarios:
//   timers   create and clear 100,000 timers (setTimeout + clearTimeout)
//   servers  create, listen on 127.0.0.1:0 and close 1,000 HTTP servers, one at a time
//   plugin   a realistic plugin test: start an HTTP server, 300 requests with JSON
//            bodies through fetch-free http.request, fs reads/writes through promises,
//            a stream pipeline, an interval and timeouts, then stop everything
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const preload = path.resolve(here, '..', 'kits', 'node', 'preload.cjs');

const scenarios = {
  timers: `
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 100000; i++) clearTimeout(setTimeout(() => {}, 1000));
    console.log(Number(process.hrtime.bigint() - t0) / 1e6);
  `,
  servers: `
    const http = require('node:http');
    (async () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 1000; i++) {
        const s = http.createServer(() => {});
        await new Promise((r) => s.listen(0, '127.0.0.1', r));
        await new Promise((r) => s.close(r));
      }
      console.log(Number(process.hrtime.bigint() - t0) / 1e6);
    })();
  `,
  plugin: `
    const http = require('node:http');
    const fsp = require('node:fs/promises');
    const fs = require('node:fs');
    const os = require('node:os');
    const path = require('node:path');
    const zlib = require('node:zlib');
    const { pipeline } = require('node:stream/promises');
    const { EventEmitter } = require('node:events');
    (async () => {
      const t0 = process.hrtime.bigint();
      const host = new EventEmitter();
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bench-plugin-'));
      let ticks = 0;
      const interval = setInterval(() => ticks++, 5);
      const onConfig = () => {};
      host.on('config', onConfig);
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          const data = JSON.parse(body || '{}');
          setTimeout(() => res.end(JSON.stringify({ ok: true, n: data.n })), 0);
        });
      });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address();
      const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      const request = (n) => new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent }, (res) => {
          let out = '';
          res.on('data', (c) => (out += c));
          res.on('end', () => resolve(JSON.parse(out)));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ n }));
      });
      for (let round = 0; round < 10; round++) {
        await Promise.all(Array.from({ length: 30 }, (_, i) => request(round * 30 + i)));
        const file = path.join(dir, 'state-' + round + '.json');
        await fsp.writeFile(file, JSON.stringify({ round, payload: 'x'.repeat(10000) }));
        JSON.parse(await fsp.readFile(file, 'utf8'));
        await pipeline(fs.createReadStream(file), zlib.createGzip(), fs.createWriteStream(file + '.gz'));
        for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
        host.emit('config', { round });
      }
      clearInterval(interval);
      host.off('config', onConfig);
      agent.destroy();
      await new Promise((r) => server.close(r));
      await fsp.rm(dir, { recursive: true, force: true });
      console.log(Number(process.hrtime.bigint() - t0) / 1e6);
    })();
  `,
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function run_once(code, with_kit) {
  const env = { ...process.env };
  let dir = null;
  delete env.NODE_OPTIONS;
  if (with_kit) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-kit-'));
    env.LEAKAUDIT_KIT_DIR = dir;
    env.LEAKAUDIT_KIT_TOKEN = crypto.randomBytes(8).toString('hex');
    env.NODE_OPTIONS = `--require ${preload}`;
  }
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', code], { env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (dir !== null) fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`scenario failed: ${r.stderr}`);
  return { inner: Number(r.stdout.trim()), wall };
}

const runs = Number(process.argv[2] ?? 5);
console.log(`node ${process.version}, ${os.cpus().length} cpus, ${runs} runs per variant, medians`);
console.log('scenario | without kit | with kit | ratio | process wall time without / with');
for (const [name, code] of Object.entries(scenarios)) {
  const plain = [];
  const kit = [];
  for (let i = 0; i < runs; i++) {
    plain.push(run_once(code, false));
    kit.push(run_once(code, true));
  }
  const a = median(plain.map((r) => r.inner));
  const b = median(kit.map((r) => r.inner));
  const wa = median(plain.map((r) => r.wall));
  const wb = median(kit.map((r) => r.wall));
  console.log(`${name} | ${a.toFixed(0)} ms | ${b.toFixed(0)} ms | ${(b / a).toFixed(2)}x | ${wa.toFixed(0)} / ${wb.toFixed(0)} ms`);
}
