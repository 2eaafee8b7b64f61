'use strict';
// The kit's API for a harness: `await started()` before the plugin starts and
// `await stopped()` after it stopped (kits/node/PROTOCOL.md, "Control channel events"),
// or `await cycles({ start, stop, count })` to do both around each of `count` start/stop
// cycles (PROTOCOL.md, "Cycles"). All resolve at once when leakaudit is not running the
// process.
const { activate } = require('./lib/kit.cjs');
const repeat = require('./lib/cycles.cjs');

function started() {
  const kit = activate();
  return kit === null ? Promise.resolve() : kit.started();
}

function stopped() {
  const kit = activate();
  return kit === null ? Promise.resolve() : kit.stopped();
}

function cycles(options) {
  return repeat.cycles(options, { kit: activate, started, stopped });
}

module.exports = { started, stopped, cycles };
