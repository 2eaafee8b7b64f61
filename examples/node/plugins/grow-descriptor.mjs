// grow-descriptor: opens a file on every start and never closes it: one descriptor more
// per start/stop cycle, the kind of leak a single start/stop hides in a long-lived host.
// Expected with `leakaudit run --cycles 10`: a `growth` finding (descriptors "file",
// 1 per cycle), exit 1.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const name = 'grow-descriptor';
let fd = -1;
export function onStart() {
  fd = fs.openSync(fileURLToPath(import.meta.url), 'r'); // @leak
}
export function onStop() {
  // Should be: fs.closeSync(fd);
  fd = -1;
}
