import { test } from 'vitest';
import { start, stop } from '../../plugin/leaky.mjs';

test('plugin b starts and stops', async () => {
  const server = await start();
  await stop(server, 'b');
});
