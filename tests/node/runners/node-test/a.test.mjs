import { test } from 'node:test';
import { start, stop } from '../../plugin/leaky.mjs';

test('plugin a starts and stops', async () => {
  const server = await start();
  await stop(server, 'a');
});
