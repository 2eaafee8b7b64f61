// leak-beforeexit: a beforeExit handler that keeps spawning `sh -c` children, so the
// process never ends. Expected with the Node kit: a `listener` finding (process,
// 'beforeExit') at this file's line, and the children the harness held when killed.
import { spawn } from 'node:child_process';
export const name = 'leak-beforeexit';
export function onStart() {
  process.on('beforeExit', () => {
    spawn('sh', ['-c', 'sleep 0.2'], { stdio: 'ignore' });
  });
}
export function onStop() {}
