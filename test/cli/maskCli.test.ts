/**
 * `loupe mask` end to end: a photo in, 8-bit masks the size of the photo out (from Loupe's model), and
 * bad input refused in one line with nothing written and the input untouched.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const loupe = join(root, 'bin', 'loupe.js');
const sample = join(root, 'samples', 'ring-yellow-gold-warm-cast.png');
let dir = '';

before(() => { dir = mkdtempSync(join(tmpdir(), 'loupe-mask-cli-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [loupe, ...args], { encoding: 'utf8', cwd: dir });
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('mask writes jewelry and stones masks the size of the photo, as 8-bit greyscale, and reports the family', async () => {
  const input = join(dir, 'ring.png');
  copyFileSync(sample, input);
  const hash = sha(input);
  const res = run('mask', input, '--out', join(dir, 'ring.mask.png'), '--stones', join(dir, 'ring.stones.png'), '--json');
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout.trim());
  for (const key of ['input', 'mask', 'stones', 'found', 'coverage', 'family', 'model', 'warnings', 'timingsMs']) assert.ok(key in report, key);
  const families = Object.values(report.family as Record<string, number>);
  assert.ok(Math.abs(families.reduce((a, b) => a + b, 0) - 1) < 0.01);
  for (const out of ['ring.mask.png', 'ring.stones.png']) {
    const meta = await sharp(join(dir, out)).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels, meta.depth], [1600, 1200, 1, 'uchar']);
  }
  assert.equal(sha(input), hash, 'the photo is untouched');
});

test('bad input: one line with advice, exit 1, no mask written; missing --out: usage, exit 2', () => {
  const broken = join(dir, 'broken.jpg');
  writeFileSync(broken, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70]));
  const res = run('mask', broken, '--out', join(dir, 'broken.mask.png'));
  assert.equal(res.status, 1);
  assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
  assert.match(res.stderr, /broken\.jpg/);
  assert.equal(existsSync(join(dir, 'broken.mask.png')), false);
  const usage = run('mask', broken);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--out/);
  const overwrite = run('mask', sample, '--out', sample);
  assert.equal(overwrite.status, 1);
  assert.match(overwrite.stderr, /would overwrite an input/);
});
