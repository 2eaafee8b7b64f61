'use strict';
// cycles({ start, stop, count }): a plugin's start and stop, `count` times, inside the
// kit's started()/stopped() (kits/node/PROTOCOL.md, "Cycles"; README "Cycles").

// LEAKAUDIT_CYCLES (set by `leakaudit run --cycles N`), or 1 when it is not set.
function count_from_env() {
  const raw = process.env.LEAKAUDIT_CYCLES;
  if (raw === undefined || raw === '') return 1;
  if (!/^[1-9][0-9]{0,8}$/.test(raw)) {
    throw new RangeError(`leakaudit cycles(): LEAKAUDIT_CYCLES must be a whole number from 1, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

function check(options) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('leakaudit cycles(): expected { start, stop, count }');
  }
  const { start, stop, count } = options;
  if (typeof start !== 'function' || typeof stop !== 'function') {
    throw new TypeError('leakaudit cycles(): start and stop must be functions');
  }
  const n = count === undefined ? count_from_env() : count;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`leakaudit cycles(): count must be a whole number from 1, got ${String(count)}`);
  }
  return { start, stop, n };
}

// One event-loop turn, not recorded as the plugin's: what the last stop closed finishes
// closing, the kit drops its records of what is gone (lib/report.cjs prepare()), and the
// next heap reading starts a fresh turn.
function next_turn(kit) {
  if (kit === null) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => kit.recorder.quietly(() => setImmediate(() => kit.prepare(resolve))));
}

// Runs start(i) and stop(i) for i = 1..count with started() before each start and
// stopped() after each stop. A start that throws is still followed by its stop (the
// plugin may clean up) and stopped(); then the first error is thrown and no further
// cycle runs. Resolves to the number of cycles completed.
async function cycles(options, api) {
  const { start, stop, n } = check(options);
  const kit = api.kit();
  if (kit !== null) kit.in_cycles++;
  try {
    for (let i = 1; i <= n; i++) {
      if (i > 1) await next_turn(kit);
      await api.started();
      let error = null;
      try {
        await start(i);
      } catch (err) {
        error = { err };
      }
      try {
        await stop(i);
      } catch (err) {
        error ??= { err };
      }
      await api.stopped();
      if (error !== null) throw error.err;
    }
    return n;
  } finally {
    if (kit !== null) kit.in_cycles--;
  }
}

module.exports = { cycles, count_from_env };
