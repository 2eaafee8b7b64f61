// leak-daemon: starts a background daemon the "classic" way and forgets it.
// `sh -c 'setsid sleep 300 &'` double-forks: the shell exits at once, and the sleep
// runs in its own session, orphaned from the harness (re-parented to init, or to
// leakaudit, which is the run's child subreaper). Killing the shell would not help.
// BUG: nothing records the daemon's pid, so onStop cannot stop it.
// Expected under leakaudit: a `process` finding (sleep, attribution "descendant" via
// the subreaper, or the run id), exit 1.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export const name = 'leak-daemon';

export async function onStart(ctx) {
  const sh = spawn('sh', ['-c', 'setsid sleep 300 >/dev/null 2>&1 </dev/null &'], {
    detached: true,
    stdio: 'ignore',
  });
  sh.unref(); // fire and forget: the launcher must not hold the harness's event loop
  await once(sh, 'spawn');
  ctx.log(`launcher shell pid ${sh.pid} started; it backgrounds a setsid'd sleep and exits`);
}

export async function onStop(ctx) {
  // Should be: start the daemon in the foreground (no '&', no setsid) and kill it here,
  // or have it write a pid file and kill that pid.
  ctx.log('stopped (daemon still running)');
}
