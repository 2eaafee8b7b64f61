// leak-tmpdir: a scratch folder that is never removed.
// BUG: onStop forgets fs.rmSync(dir, { recursive: true }). Every run leaves another
// /tmp/plugin-tmpdir-XXXXXX behind.
// Expected under leakaudit: ONE `tmp` finding for the folder (with its size and entry
// count, not one per file), exit 1. It is not deleted unless --clean-tmp.
import fs from 'node:fs';
import path from 'node:path';

let dir;

export const name = 'leak-tmpdir';

export async function onStart(ctx) {
  dir = fs.mkdtempSync('/tmp/plugin-tmpdir-');
  fs.writeFileSync(path.join(dir, 'cache.json'), JSON.stringify({ created: Date.now() }) + '\n');
  fs.writeFileSync(path.join(dir, 'download.bin'), Buffer.alloc(8192, 0xab));
  ctx.log(`scratch dir ${dir}`);
}

export async function onStop(ctx) {
  // Should be: fs.rmSync(dir, { recursive: true, force: true });
  ctx.log('stopped (scratch dir left behind)');
}
