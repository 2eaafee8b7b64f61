// clean: a well-behaved plugin. onStart acquires one of everything leakaudit watches
// (an HTTP server, a child process, a timer, a temp folder, a /dev/shm file); onStop
// releases ALL of it and waits until each release has really happened.
// Expected under leakaudit: no findings, exit 0, and no grace period paid.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

let server, child, interval, tmpDir, shmFile;

export const name = 'clean';

export async function onStart(ctx) {
  server = http.createServer((req, res) => res.end('ok\n'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  ctx.log(`listening on 127.0.0.1:${server.address().port}`);

  child = spawn('sleep', ['30'], { stdio: 'ignore' });
  await once(child, 'spawn');
  ctx.log(`child sleep pid ${child.pid}`);

  interval = setInterval(() => {}, 1000);

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-clean-'));
  fs.writeFileSync(path.join(tmpDir, 'state.json'), '{}\n');
  ctx.log(`temp dir ${tmpDir}`);

  shmFile = `/dev/shm/plugin-clean-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(shmFile, Buffer.alloc(4096));
  ctx.log(`shm file ${shmFile}`);
}

export async function onStop(ctx) {
  clearInterval(interval);

  // close() stops accepting; closeAllConnections() drops keep-alive sockets so the
  // callback is not held up by idle clients.
  const closed = new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  server.closeAllConnections?.();
  await closed;

  // Kill and *wait*: the process is gone (and reaped) only once 'exit' fired.
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.rmSync(shmFile, { force: true });
  ctx.log('released everything');
}
