// CommonJS twin of leaky.mjs for Jest (no ESM transform needed).
const http = require('node:http');

async function start() {
  const server = http.createServer((req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)); // @leak
  return server;
}

async function stop(server, id) {
  if ((process.env.LEAKY ?? '').split(',').includes(id)) return; // the scenario leaks here
  await new Promise((resolve) => server.close(resolve));
}

module.exports = { start, stop };
