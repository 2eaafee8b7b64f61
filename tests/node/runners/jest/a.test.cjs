const { start, stop } = require('../../plugin/leaky.cjs');

test('plugin a starts and stops', async () => {
  const server = await start();
  await stop(server, 'a');
});
