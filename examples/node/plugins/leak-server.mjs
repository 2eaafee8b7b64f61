// leak-server: an HTTP server that is never closed.
// BUG: onStop forgets server.close(). The listening socket keeps the event loop alive,
// so the harness prints "stopped" and then never exits.
// Expected under leakaudit: a `harness` finding "did not exit after stop" listing what
// it holds, a `socket` finding (127.0.0.1:<port> listening) and a `handle` finding
// (TCPServerWrap) from the control channel; exit 3.
import http from 'node:http';
import { once } from 'node:events';

let server;

export const name = 'leak-server';

export async function onStart(ctx) {
  server = http.createServer((req, res) => res.end('hello\n'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  ctx.log(`listening on 127.0.0.1:${server.address().port}`);
}

export async function onStop(ctx) {
  // Should be: await new Promise((r) => server.close(r));
  ctx.log('stopped (server still listening)');
}
