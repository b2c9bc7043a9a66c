/**
 * `loupe mask` end to end: a photo in, 8-bit masks the size of the photo out (from Loupe's model), and
 * bad input refused in one line with nothing written and the input untouched.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

test('--within: the mask stays inside a rough selection; an empty corner finds nothing, said; a wrong size is refused', async () => {
  const input = join(dir, 'ring-within.png');
  copyFileSync(sample, input);
  const width = 1600, height = 1200;
  // A marquee around the ring: the sample's own mask's bounds, grown by 40 px.
  const given = await sharp(join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png')).greyscale().raw().toBuffer();
  let x0 = width, y0 = height, x1 = 0, y1 = 0;
  for (let i = 0; i < given.length; i++) {
    if (given[i] < 128) continue;
    const x = i % width, y = (i / width) | 0;
    x0 = Math.min(x0, x); x1 = Math.max(x1, x + 1); y0 = Math.min(y0, y); y1 = Math.max(y1, y + 1);
  }
  const marquee = async (name: string, left: number, top: number, right: number, bottom: number) => {
    const data = Buffer.alloc(width * height);
    for (let y = Math.max(0, top); y < Math.min(height, bottom); y++) data.fill(255, y * width + Math.max(0, left), y * width + Math.min(width, right));
    await sharp(data, { raw: { width, height, channels: 1 } }).png().toFile(join(dir, name));
    return join(dir, name);
  };
  const around = await marquee('around.png', x0 - 40, y0 - 40, x1 + 40, y1 + 40);
  const res = run('mask', input, '--out', join(dir, 'within.mask.png'), '--within', around, '--json');
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout.trim());
  assert.equal(report.found, true);
  const found = await sharp(join(dir, 'within.mask.png')).greyscale().raw().toBuffer();
  const margin = Math.round(0.01 * Math.max(x1 - x0 + 80, y1 - y0 + 80));
  let outside = 0, inside = 0;
  for (let i = 0; i < found.length; i++) {
    const x = i % width, y = (i / width) | 0;
    const inMarquee = x >= x0 - 40 - margin && x < x1 + 40 + margin && y >= y0 - 40 - margin && y < y1 + 40 + margin;
    if (found[i] > 0 && !inMarquee) outside++;
    if (found[i] >= 128) inside++;
  }
  assert.equal(outside, 0, 'nothing beyond the selection and its margin');
  assert.ok(inside > 0.5 * given.filter((v) => v >= 128).length, `the ring is found inside it (${inside} px)`);

  const corner = await marquee('corner.png', 0, 0, 200, 150);
  const empty = run('mask', input, '--out', join(dir, 'corner.mask.png'), '--within', corner);
  assert.equal(empty.status, 0, empty.stderr);
  assert.match(empty.stdout, /none found/);
  assert.match(empty.stdout, /inside the selection/);
  assert.ok((await sharp(join(dir, 'corner.mask.png')).greyscale().raw().toBuffer()).every((v) => v === 0));

  await sharp({ create: { width: 800, height: 600, channels: 3, background: '#ffffff' } }).png().toFile(join(dir, 'small.png'));
  const wrong = run('mask', input, '--out', join(dir, 'wrong.mask.png'), '--within', join(dir, 'small.png'));
  assert.equal(wrong.status, 1);
  assert.equal(wrong.stderr.trim().split('\n').length, 1, wrong.stderr);
  assert.match(wrong.stderr, /800×600/);
  assert.equal(existsSync(join(dir, 'wrong.mask.png')), false);
});

test('several photos and a folder: each photo\'s masks named after it, a bad photo said and skipped (exit 1); clashing names and --within refused', async () => {
  const batch = join(dir, 'batch');
  const a = join(batch, 'in', 'ring-a.png'), b = join(batch, 'in', 'ring-b.jpg'), broken = join(batch, 'in', 'broken.jpg');
  mkdirSync(join(batch, 'in'), { recursive: true });
  copyFileSync(sample, a);
  await sharp(sample).jpeg({ quality: 90 }).toFile(b);
  writeFileSync(broken, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70]));
  const res = run('mask', a, broken, b, '--out', join(batch, 'masks'), '--stones', join(batch, 'stones'), '--json');
  assert.equal(res.status, 1, 'one photo failed');
  assert.match(res.stderr, /broken\.jpg/);
  const reports = res.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(reports.map((r) => r.mask), [join(batch, 'masks', 'ring-a.mask.png'), join(batch, 'masks', 'ring-b.mask.png')]);
  for (const name of ['masks/ring-a.mask.png', 'masks/ring-b.mask.png', 'stones/ring-a.stones.png', 'stones/ring-b.stones.png']) {
    const meta = await sharp(join(batch, name)).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels], [1600, 1200, 1], name);
  }
  assert.equal(existsSync(join(batch, 'masks', 'broken.mask.png')), false);

  // One photo and an existing folder: the folder's way too.
  const one = run('mask', a, '--out', join(batch, 'masks'));
  assert.equal(one.status, 0, one.stderr);
  assert.match(one.stdout, /ring-a\.mask\.png/);

  // Two photos of one name in two folders would write one mask over the other.
  copyFileSync(sample, join(dir, 'ring-a.png'));
  const clash = run('mask', a, join(dir, 'ring-a.png'), '--out', join(batch, 'clash'));
  assert.equal(clash.status, 2);
  assert.match(clash.stderr, /would both write ring-a\.mask\.png/);
  assert.equal(existsSync(join(batch, 'clash')), false, 'nothing written');
  const within = run('mask', a, b, '--out', join(batch, 'w'), '--within', a);
  assert.equal(within.status, 2);
  assert.match(within.stderr, /--within is one photo's rough selection/);
});
