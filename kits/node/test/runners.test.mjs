// Test runners under the kit (tests/node: node --test, Vitest, Jest, Mocha; installed
// by `npm ci` there, else these tests skip). Two test files use a plugin that opens a
// server; LEAKY=a makes a.* forget it. The report must name the server, the plugin's
// line and the test file that leaked it, and nothing for the clean runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run_kit, installed, test_project, line_of } from '../test-support/helpers.mjs';

const leaky_mjs = path.join(test_project, 'plugin', 'leaky.mjs');
const leaky_cjs = path.join(test_project, 'plugin', 'leaky.cjs');

// Every item of every process's last report, with that process's argv.
function items(records) {
  const out = [];
  for (const lines of records.values()) {
    const reports = lines.filter((l) => l.type === 'report');
    if (reports.length === 0) continue;
    const last = reports[reports.length - 1];
    for (const item of [...last.handles, ...last.listeners]) out.push({ argv: lines[0].argv, reason: last.reason, item });
  }
  return out;
}

function assert_leak_of_a(run, plugin_file, test_file) {
  const found = items(run.records);
  assert.equal(found.length, 1, `one finding: ${JSON.stringify(found.map((f) => f.item.site))}`);
  const [{ item }] = found;
  assert.equal(item.type, 'TCPServerWrap');
  const line = line_of(plugin_file, '@leak');
  assert.ok(item.stack.some((f) => f.file === plugin_file && f.line === line), JSON.stringify(item.stack));
  assert.ok(item.stack.some((f) => f.file === test_file), `the test file is on the stack: ${item.site}`);
  assert.match(item.site, new RegExp(`^plugin/${path.basename(plugin_file)}:${line} \u2190 ${path.relative(test_project, test_file)}:`));
}

async function run(args, leaky, extra = {}) {
  return run_kit(args, { cwd: test_project, env: { LEAKY: leaky }, timeout_ms: 90000, ...extra });
}

const need = (t, name) => {
  if (installed(name) === null) {
    t.skip(`${name} not installed: npm ci in tests/node`);
    return false;
  }
  return true;
};

const node_test_a = path.join(test_project, 'runners', 'node-test', 'a.test.mjs');

test('node --test: the file that leaks a server is named, in its own process', async () => {
  const r = await run(['--test', 'runners/node-test/'], 'a', { dump_after: 'ok 2' });
  assert_leak_of_a(r, leaky_mjs, node_test_a);
  const [{ argv, reason }] = items(r.records);
  assert.equal(argv[1], node_test_a, 'the report comes from the process running a.test.mjs');
  assert.equal(reason, 'dump');
});

test('node --test --test-force-exit: the leaked server is reported at exit', async () => {
  const r = await run(['--test', '--test-force-exit', 'runners/node-test/'], 'a');
  assert.equal(r.code, 0);
  assert_leak_of_a(r, leaky_mjs, node_test_a);
  assert.equal(items(r.records)[0].reason, 'exit');
});

test('vitest (forks): the leaked server is reported by the worker, at the test file', async (t) => {
  if (!need(t, 'vitest')) return;
  const r = await run(['node_modules/vitest/vitest.mjs', 'run', 'runners/vitest/'], 'a');
  assert.equal(r.code, 0, r.stderr);
  assert_leak_of_a(r, leaky_mjs, path.join(test_project, 'runners', 'vitest', 'a.test.mjs'));
});

test('jest (workers): the leaked server is reported by the worker, at the test file', async (t) => {
  if (!need(t, 'jest')) return;
  // A cache of its own: with timings of earlier runs (all fast), Jest runs two files in
  // band despite -w 2, and the leak is then in the main process, which hangs.
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'leakaudit-jest-cache-'));
  t.after(() => fs.rmSync(cache, { recursive: true, force: true }));
  const r = await run(
    ['node_modules/jest/bin/jest.js', '--config', 'jest.config.cjs', '-w', '2', '--cacheDirectory', cache],
    'a',
  );
  assert_leak_of_a(r, leaky_cjs, path.join(test_project, 'runners', 'jest', 'a.test.cjs'));
});

test('jest --runInBand: the hanging run is dumped with the leaked server', async (t) => {
  if (!need(t, 'jest')) return;
  const r = await run(['node_modules/jest/bin/jest.js', '--config', 'jest.config.cjs', '-i'], 'a', {
    dump_after: 'Ran all test suites',
  });
  assert_leak_of_a(r, leaky_cjs, path.join(test_project, 'runners', 'jest', 'a.test.cjs'));
});

test('mocha --exit: the leaked server is reported at exit', async (t) => {
  if (!need(t, 'mocha')) return;
  const r = await run(['node_modules/mocha/bin/mocha.js', '--exit', 'runners/mocha/*.spec.mjs'], 'a');
  assert.equal(r.code, 0, r.stderr);
  assert_leak_of_a(r, leaky_mjs, path.join(test_project, 'runners', 'mocha', 'a.spec.mjs'));
});

const clean_runs = [
  ['node --test', null, ['--test', 'runners/node-test/']],
  ['vitest', 'vitest', ['node_modules/vitest/vitest.mjs', 'run', 'runners/vitest/']],
  ['jest', 'jest', ['node_modules/jest/bin/jest.js', '--config', 'jest.config.cjs', '-w', '2']],
  ['jest -i', 'jest', ['node_modules/jest/bin/jest.js', '--config', 'jest.config.cjs', '-i']],
  ['mocha', 'mocha', ['node_modules/mocha/bin/mocha.js', 'runners/mocha/*.spec.mjs']],
];

for (const [name, pkg, args] of clean_runs) {
  test(`${name}: a clean suite reports nothing (the runner's own handles are not findings)`, async (t) => {
    if (pkg !== null && !need(t, pkg)) return;
    const r = await run(args, '');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(items(r.records), []);
  });
}
