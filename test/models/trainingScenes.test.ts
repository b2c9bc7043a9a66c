/**
 * The mask model's training scenes (models/training/synth_scenes.py) are composed in Python: their own checks
 * run here so that CI catches a composer whose labels drift off the piece (its numpy, Pillow and SciPy come
 * with Debian's python3-psd-tools, which .ci/run installs for the PSD readers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('training scenes: labels on the piece only, shadows and surfaces background, seeded', () => {
  const run = spawnSync('/usr/bin/python3', ['-m', 'unittest', '-v', join('models', 'training', 'test_synth_scenes.py')], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, `python3 -m unittest failed:\n${run.stderr}${run.stdout}`);
  assert.match(run.stderr, /Ran [1-9]\d* tests/);
});
