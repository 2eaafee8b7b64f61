// A plugin for the runner scenarios: start() opens a server; stop(server, id) closes it
// unless LEAKY (a comma-separated list) names id.
import http from 'node:http';

export async function start() {
  const server = http.createServer((req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)); // @leak
  return server;
}

export async function stop(server, id) {
  if ((process.env.LEAKY ?? '').split(',').includes(id)) return; // the scenario leaks here
  await new Promise((resolve) => server.close(resolve));
}
