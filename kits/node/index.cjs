'use strict';
// The kit's API for a harness: `await started()` before the plugin starts and
// `await stopped()` after it stopped (kits/node/PROTOCOL.md, "Control channel events").
// Both resolve at once when leakaudit is not running the process.
const { activate } = require('./lib/kit.cjs');

function started() {
  const kit = activate();
  return kit === null ? Promise.resolve() : kit.started();
}

function stopped() {
  const kit = activate();
  return kit === null ? Promise.resolve() : kit.stopped();
}

module.exports = { started, stopped };
