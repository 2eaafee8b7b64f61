const { start, stop } = require('../../plugin/leaky.cjs');

test('plugin b starts and stops', async () => {
  const server = await start();
  await stop(server, 'b');
});
