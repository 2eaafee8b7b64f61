// The kit as an npm package: `npm pack` makes a tarball without tests, and a project
// with it installed imports `leakaudit/node` from ESM and CommonJS; the API records a
// window and never blocks without leakaudit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kit_root, run_kit } from '../test-support/helpers.mjs';

function has(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

test('npm pack makes a package that ESM and CommonJS harnesses import as leakaudit/node', async (t) => {
  if (!has('npm') || !has('tar')) return t.skip('npm or tar not found');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-pack-'));
  try {
    const out = execFileSync('npm', ['pack', '--pack-destination', work, '--loglevel=error'], {
      cwd: kit_root,
      encoding: 'utf8',
    });
    const tarball = path.join(work, out.trim().split('\n').pop());
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    assert.ok(listing.includes('package/preload.cjs'));
    assert.ok(listing.includes('package/lib/kit.cjs'));
    assert.ok(!listing.some((f) => f.startsWith('package/test')), 'no tests in the package');

    const project = path.join(work, 'project');
    const pkg = path.join(project, 'node_modules', 'leakaudit');
    fs.mkdirSync(pkg, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
    fs.writeFileSync(
      path.join(project, 'esm.mjs'),
      `import { started, stopped, cycles } from 'leakaudit/node';
       if (typeof cycles !== 'function') throw new Error('no cycles export');
       await started();
       const t = setInterval(() => {}, 1000);
       await stopped();
       clearInterval(t);
       console.log('done');\n`,
    );
    fs.writeFileSync(
      path.join(project, 'cjs.cjs'),
      `const { started, stopped, cycles } = require('leakaudit/node');
       (async () => { await started(); await stopped(); await cycles({ start() {}, stop() {}, count: 2 }); console.log('done'); })();\n`,
    );
    // Without leakaudit: resolves at once, writes nothing.
    for (const script of ['esm.mjs', 'cjs.cjs']) {
      const plain = spawnSync(process.execPath, [script], { cwd: project, encoding: 'utf8', timeout: 10000 });
      assert.equal(plain.stdout.trim(), 'done', plain.stderr);
    }
    // With a kit folder (the API activates the kit itself when not preloaded).
    const run = await run_kit(['esm.mjs'], { cwd: project });
    assert.equal(run.stdout.trim(), 'done', run.stderr);
    const [lines] = [...run.records.values()];
    const report = lines.find((l) => l.type === 'report' && l.reason === 'stopped');
    assert.equal(report.handles[0].detail, 'setInterval 1000ms');
    assert.match(report.handles[0].site, /^esm\.mjs:4$/);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
