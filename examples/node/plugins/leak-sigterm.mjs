// leak-sigterm: a SIGTERM handler on `process` that onStop never removes.
// Expected with the Node kit: a `listener` finding (process, 'SIGTERM'), an error: it
// outlives the plugin and piles up on every restart.
export const name = 'leak-sigterm';
function onSigterm() {}
export function onStart() {
  process.on('SIGTERM', onSigterm);
}
export function onStop() {
  // Should be: process.off('SIGTERM', onSigterm);
}
