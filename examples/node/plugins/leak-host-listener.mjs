// leak-host-listener: a listener on the host's EventEmitter that onStop never removes.
// Expected with the Node kit: a `listener` finding (Host, 'config'), a warning.
export const name = 'leak-host-listener';
export function onStart(ctx) {
  ctx.host.on('config', () => {});
}
export function onStop() {
  // Should be: ctx.host.off('config', handler);
}
