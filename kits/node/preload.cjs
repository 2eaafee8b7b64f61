'use strict';
// Loaded by `leakaudit run --node` through NODE_OPTIONS=--require <this file>.
// Does nothing unless leakaudit set LEAKAUDIT_KIT_DIR and LEAKAUDIT_KIT_TOKEN
// (kits/node/PROTOCOL.md); then records from here on, in this process only.
try {
  require('./lib/kit.cjs').activate();
} catch {
  /* never break the host process */
}
