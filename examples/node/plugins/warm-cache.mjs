// warm-cache: the first start fills a module-level cache (about 8 MiB of heap, once);
// later starts reuse it. A one-time allocation is not a leak: the heap rises in the
// first cycle only, which `--warmup` leaves unjudged and which does not grow after.
// Expected with `leakaudit run --cycles 10`: nothing reported, exit 0.
export const name = 'warm-cache';
let cache = null;
let lookups = 0;
export function onStart() {
  if (cache === null) {
    cache = new Map();
    for (let i = 0; i < 1024; i++) cache.set(`key-${i}`, Array.from({ length: 1024 }, (_, j) => i + j + 0.5));
  }
  lookups += cache.get('key-7').length;
}
export function onStop() {
  // The cache stays warm for the next start, on purpose.
}
