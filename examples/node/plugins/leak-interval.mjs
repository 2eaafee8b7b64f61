// leak-interval: a periodic job that is never cancelled.
// BUG: onStop forgets clearInterval(). A referenced interval keeps the event loop
// alive, so the harness prints "stopped" and then never exits.
// Expected under leakaudit: a `harness` finding "did not exit after stop" and a
// `handle` finding (Timeout, "setInterval 60000ms") from the control channel; exit 3.

let timer;

export const name = 'leak-interval';

export async function onStart(ctx) {
  timer = setInterval(() => ctx.log('refreshing cache'), 60000);
  ctx.log('refresh scheduled every 60s');
}

export async function onStop(ctx) {
  // Should be: clearInterval(timer);
  ctx.log('stopped (interval still scheduled)');
}
