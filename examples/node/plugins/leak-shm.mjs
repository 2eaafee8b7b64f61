// leak-shm: a shared-memory segment (a file in /dev/shm) that is never unlinked.
// BUG: onStop forgets fs.rmSync(file). /dev/shm is RAM: these leaks eat memory until
// the machine reboots.
// Expected under leakaudit: a `tmp` finding for /dev/shm/plugin-shm-<pid>-<random>,
// exit 1.
import fs from 'node:fs';
import crypto from 'node:crypto';

let file;

export const name = 'leak-shm';

export async function onStart(ctx) {
  file = `/dev/shm/plugin-shm-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(file, Buffer.alloc(64 * 1024));
  ctx.log(`shared segment ${file}`);
}

export async function onStop(ctx) {
  // Should be: fs.rmSync(file, { force: true });
  ctx.log('stopped (shared segment left behind)');
}
