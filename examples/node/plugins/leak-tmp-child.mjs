// leak-tmp-child: a helper process makes a scratch folder; nobody removes it.
// BUG: onStop neither stops the helper nor removes its folder, as a browser launched by
// a plugin leaves its profile folder (/tmp/org.chromium.Chromium.XXXXXX).
// Expected under leakaudit: a `process` finding for the helper (reaped unless --keep)
// and a `tmp` finding for the folder whose site is this spawn's line, "created by <pid>
// (mktemp), a descendant of child <pid> (sh) spawned there"; exit 1.
import { spawn } from 'node:child_process';

let helper;

export const name = 'leak-tmp-child';

export async function onStart(ctx) {
  helper = spawn('sh', ['-c', 'mktemp -d /tmp/plugin-helper-XXXXXX; exec sleep 300'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const dir = await new Promise((resolve) => helper.stdout.once('data', (d) => resolve(String(d).trim())));
  helper.stdout.destroy();
  helper.unref(); // the harness exits; the helper and its folder stay
  ctx.log(`helper pid ${helper.pid} made ${dir}`);
}

export async function onStop(ctx) {
  // Should be: helper.kill(); await once(helper, 'exit'); fs.rmSync(dir, { recursive: true });
  ctx.log('stopped (helper and its folder left behind)');
}
