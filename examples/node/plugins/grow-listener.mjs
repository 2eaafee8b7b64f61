// grow-listener: adds a new `exit` handler on `process` on every start and never removes
// it: one listener more per cycle (a closure over the plugin's state each time).
// Expected with `leakaudit run --cycles 10`: a `growth` finding (listeners
// "process 'exit'", 1 per cycle, with this file's line as its site), exit 1.
export const name = 'grow-listener';
let state = null;
export function onStart(ctx) {
  state = { name: ctx.name, started_at: Date.now() };
  const mine = state;
  process.on('exit', () => mine.name); // @leak
}
export function onStop() {
  // Should be: process.off('exit', handler) with the handler kept from onStart.
  state = null;
}
