// Under `node --test`: a test that starts a plugin server and never closes it.
//   leakaudit run -- node --test examples/node/node-test/test/
import { test } from 'node:test';
import http from 'node:http';
import { once } from 'node:events';

test('plugin serves', async () => {
  const server = http.createServer((req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  // Should be: await new Promise((r) => server.close(r));
});
