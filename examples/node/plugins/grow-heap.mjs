// grow-heap: every start pushes 1 MiB of JavaScript heap (131,072 doubles) onto a
// module-level array that stop never empties: the stopped plugin keeps it reachable.
// Expected with `leakaudit run --cycles 10`: a `growth` finding (heap_bytes, about
// 1 MiB per cycle), exit 1. (A Buffer would not do: its bytes live outside the heap.)
export const name = 'grow-heap';
const history = [];
export function onStart() {
  history.push(Array.from({ length: 131072 }, (_, i) => i + 0.5)); // @leak
}
export function onStop() {
  // Should be: history.length = 0 (or no module-level history at all).
}
