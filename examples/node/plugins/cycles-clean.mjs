// cycles-clean: a well-behaved plugin for repeated start/stop cycles. Each start opens
// an HTTP server and requests it once, spawns a child, starts a timer, adds a listener
// on `process` and on the host, writes a temp folder and allocates 4 MiB of heap; each
// stop releases all of it and waits until each release has really happened.
// Expected with `leakaudit run --cycles 10`: nothing reported, exit 0, every time.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export const name = 'cycles-clean';
let server, child, interval, tmp, scratch;
const on_warning = () => {};
const on_config = () => {};

function get(port) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
  });
}

export async function onStart(ctx) {
  server = http.createServer((req, res) => res.end('ok\n'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  await get(server.address().port);
  child = spawn('sleep', ['30'], { stdio: 'ignore' });
  await once(child, 'spawn');
  interval = setInterval(() => {}, 1000);
  process.on('warning', on_warning);
  ctx.host?.on('config', on_config);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-cycles-clean-'));
  fs.writeFileSync(path.join(tmp, 'state.json'), '{}\n');
  scratch = Array.from({ length: 512 * 1024 }, (_, i) => i + 0.5);
}

export async function onStop(ctx) {
  clearInterval(interval);
  process.off('warning', on_warning);
  ctx.host?.off('config', on_config);
  const closed = new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  server.closeAllConnections?.();
  await closed;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  server = child = interval = tmp = scratch = null;
}
