// leak-cron: a node-cron job that onStop never stops (NODE_CRON_PATH: where node-cron
// is installed; `npm install node-cron`). Expected with the Node kit: a `handle`
// finding (Timeout) whose site names this file's line.
import { createRequire } from 'node:module';
const cron = createRequire(import.meta.url)(process.env.NODE_CRON_PATH || 'node-cron');
let task = null;
export const name = 'leak-cron';
export function onStart() {
  task = cron.schedule('*/5 * * * * *', () => {});
}
export function onStop() {
  // Should be: task.stop();
}
