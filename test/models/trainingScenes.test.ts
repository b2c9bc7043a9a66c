/**
 * The mask model's training scenes (models/training/synth_scenes.py) are composed in Python: their own checks
 * run here so that CI catches a composer whose labels drift off the piece (its numpy, Pillow and SciPy come
 * with Debian's python3-psd-tools, which .ci/run installs for the PSD readers). The checks of train_mask.py's
 * checkpoint averaging and widening (widen_mask_net.py) need PyTorch, which CI does not install: they are reported
 * skipped there. pack_renders.py's (renders packed small to travel to a lent GPU machine) need Pillow's WebP and
 * JPEG only. Python's unittest runs once; each of its tests is reported as a test of its own, with Python's
 * traceback when it fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('training scenes: labels on the piece only, shadows and surfaces background, seeded, render grain smoothed off the piece; checkpoints averaged and widened; renders packed', async (t) => {
  const run = spawnSync('/usr/bin/python3', ['-m', 'unittest', '-v', ...['test_synth_scenes.py', 'test_train_mask.py', 'test_surface_denoise.py', 'test_pack_renders.py'].map((file) => join('models', 'training', file))], { cwd: root, encoding: 'utf8' });
  const output = `${run.stderr}${run.stdout}`;
  // unittest -v writes "test_name (module.Class.test_name) ... ok | FAIL | ERROR | skipped '…'" a line each.
  const results = [...run.stderr.matchAll(/^(test_\w+) \(([\w.]+)\) \.\.\. (ok|FAIL|ERROR|skipped.*)$/gm)];
  assert.ok(results.length > 0, `no Python test ran:\n${output}`);
  for (const [, name, , verdict] of results) {
    await t.test(name.replace(/^test_/, '').replaceAll('_', ' '), { skip: verdict.startsWith('skipped') && verdict }, () => {
      // The traceback block unittest prints for a failure: from its "FAIL: name" header to the next rule.
      const block = output.match(new RegExp(`^(?:FAIL|ERROR): ${name} [\\s\\S]*?(?=^[=-]{20,}$)`, 'm'))?.[0];
      assert.equal(verdict, 'ok', block ?? output);
    });
  }
  assert.equal(run.status, 0, `python3 -m unittest failed:\n${output}`);
});
