// leak-child: spawns a helper process and forgets it.
// BUG: onStop never kills the child. The unref() lets the harness exit anyway, which
// is exactly how these leaks go unnoticed: the plugin "stops", the test passes, and a
// `sleep 300` stays behind on the CI runner.
// Expected under leakaudit: a `process` finding (sleep, attribution "descendant"),
// exit 1; leakaudit reaps it unless --keep.
import { spawn } from 'node:child_process';

let child;

export const name = 'leak-child';

export async function onStart(ctx) {
  child = spawn('sleep', ['300'], { detached: false, stdio: 'ignore' });
  child.unref(); // don't hold the event loop: the harness exits, the child lives on
  ctx.log(`spawned sleep pid ${child.pid}`);
}

export async function onStop(ctx) {
  // Should be: child.kill(); await once(child, 'exit');
  ctx.log('stopped (forgot the child)');
}
