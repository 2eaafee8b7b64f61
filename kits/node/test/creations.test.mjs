// Creation records (kits/node/PROTOCOL.md, "Creation records"): the temp folders a
// plugin makes and the children it spawns are written as they happen, with the plugin's
// file and line, so leakaudit can say where a leaked temp folder came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run_kit, plugin, line_of, kit_root } from '../test-support/helpers.mjs';

const harness = 'harness.mjs';

function records_of(run, type) {
  return [...run.records.values()].flat().filter((r) => r.type === type);
}

// A private parent folder under the temp folder, removed whatever happens.
function with_parent(t, base = os.tmpdir()) {
  const parent = fs.mkdtempSync(path.join(base, 'kit-creations-'));
  t.after(() => fs.rmSync(parent, { recursive: true, force: true }));
  return fs.realpathSync(parent);
}

const k_forms = [
  ['promise', '@promise', 'fs.promises.mkdtemp'],
  ['named', '@named', 'fs.promises.mkdtemp'],
  ['sync', '@sync', 'fs.mkdtempSync'],
  ['callback', '@callback', 'fs.mkdtemp'],
];

for (const [form, marker, call] of k_forms) {
  test(`a temp folder made with ${form} mkdtemp is recorded at its real path with the plugin line`, async (t) => {
    const parent = with_parent(t);
    const run = await run_kit([harness, plugin('tmp.mjs')], { env: { TMP_FORM: form, TMP_PARENT: parent } });
    assert.equal(run.code, 0, run.stderr);
    const made = run.stdout.trim();
    const tmp = records_of(run, 'tmp');
    assert.equal(tmp.length, 1, JSON.stringify(tmp));
    assert.equal(tmp[0].path, fs.realpathSync(made));
    assert.equal(tmp[0].call, call);
    assert.equal(tmp[0].package, null);
    const line = line_of(plugin('tmp.mjs'), marker);
    assert.ok(tmp[0].site.startsWith(`plugins/tmp.mjs:${line}`), tmp[0].site);
    assert.ok(tmp[0].stack.some((f) => f.file === plugin('tmp.mjs') && f.line === line));
  });
}

test('a folder made by fs.mkdir directly in the temp folder is recorded; with recursive, the first one made', async (t) => {
  // Directly in the temp folder itself, as a plugin does: the test removes it.
  for (const [form, marker] of [
    ['mkdir', '@mkdir'],
    ['mkdir-recursive', '@recursive'],
  ]) {
    const run = await run_kit([harness, plugin('tmp.mjs')], { env: { TMP_FORM: form } });
    const made = run.stdout.trim();
    t.after(() => made && fs.rmSync(made, { recursive: true, force: true }));
    assert.equal(run.code, 0, run.stderr);
    const tmp = records_of(run, 'tmp');
    assert.equal(tmp.length, 1, JSON.stringify(tmp));
    assert.equal(tmp[0].path, fs.realpathSync(made));
    assert.ok(tmp[0].site.startsWith(`plugins/tmp.mjs:${line_of(plugin('tmp.mjs'), marker)}`), tmp[0].site);
  }
});

test('a folder made by fs.mkdir deeper inside the temp folder is not recorded (its top-level folder says it)', async (t) => {
  const parent = with_parent(t);
  const run = await run_kit([harness, plugin('tmp.mjs')], { env: { TMP_FORM: 'mkdir', TMP_PARENT: parent } });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(records_of(run, 'tmp'), []);
});

test('a folder made outside the temp folders is not recorded', async (t) => {
  const parent = with_parent(t, kit_root);
  const run = await run_kit([harness, plugin('tmp.mjs')], { env: { TMP_FORM: 'sync', TMP_PARENT: parent } });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.trim().startsWith(parent));
  assert.deepEqual(records_of(run, 'tmp'), []);
});

test('LEAKAUDIT_KIT_TEMP names the folders: a folder made under one is recorded, one under /tmp then is not', async (t) => {
  // The run's --watch list, as leakaudit passes it: a folder outside the usual temp folders.
  const watched = with_parent(t, kit_root);
  const outside = with_parent(t);
  const env = { LEAKAUDIT_KIT_TEMP: `/nonexistent-kit-watch:${watched}`, TMP_FORM: 'sync' };
  const inside_run = await run_kit([harness, plugin('tmp.mjs')], { env: { ...env, TMP_PARENT: watched } });
  assert.equal(inside_run.code, 0, inside_run.stderr);
  const tmp = records_of(inside_run, 'tmp');
  assert.equal(tmp.length, 1, JSON.stringify(tmp));
  assert.equal(tmp[0].path, fs.realpathSync(inside_run.stdout.trim()));
  assert.ok(tmp[0].path.startsWith(watched + path.sep));
  assert.ok(tmp[0].site.startsWith(`plugins/tmp.mjs:${line_of(plugin('tmp.mjs'), '@sync')}`), tmp[0].site);
  const outside_run = await run_kit([harness, plugin('tmp.mjs')], { env: { ...env, TMP_PARENT: outside } });
  assert.equal(outside_run.code, 0, outside_run.stderr);
  assert.ok(outside_run.stdout.trim().startsWith(outside));
  assert.deepEqual(records_of(outside_run, 'tmp'), []);
});

test('a spawned child is recorded with its pid, its program and the plugin line', async () => {
  const run = await run_kit([harness, plugin('tmp-child.mjs')], { dump_after: 'harness: stopped' });
  const made = run.stdout.trim().split('\n')[0];
  if (made) fs.rmSync(made, { recursive: true, force: true });
  const children = records_of(run, 'child');
  assert.equal(children.length, 1, JSON.stringify(children));
  assert.equal(children[0].file, 'sh');
  assert.ok(Number.isInteger(children[0].child_pid) && children[0].child_pid > 0);
  const line = line_of(plugin('tmp-child.mjs'), '@spawn');
  assert.ok(children[0].site.startsWith(`plugins/tmp-child.mjs:${line}`), children[0].site);
  // The same child as the kit's ProcessWrap handle says.
  const report = [...run.records.values()].flat().find((r) => r.type === 'report');
  const handle = report.handles.find((h) => h.type === 'ProcessWrap');
  assert.match(handle.detail, new RegExp(`^child pid ${children[0].child_pid}\\b`));
});

test('records are bounded per process: 1,000 temp folders, then no more', async (t) => {
  const parent = with_parent(t);
  const script = `const fs = require('fs'); for (let i = 0; i < 1010; i++) fs.mkdtempSync(${JSON.stringify(parent + '/b-')});`;
  const run = await run_kit(['-e', script]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(fs.readdirSync(parent).length, 1010);
  assert.equal(records_of(run, 'tmp').length, 1000);
});
