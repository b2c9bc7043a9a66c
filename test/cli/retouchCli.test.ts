/**
 * The `loupe retouch` command end to end, as a retoucher or a catalog script runs it: real files in,
 * a layered PSD and preview out, clear refusals for bad input with nothing written and nothing touched.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { readImageFile } from '../../src/hosts/psd/readImageFile';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const loupe = join(root, 'bin', 'loupe.js');
const sample = join(root, 'samples', 'ring-yellow-gold-warm-cast.png');
const sampleMask = join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png');
let dir = '';

before(() => { dir = mkdtempSync(join(tmpdir(), 'loupe-cli-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [loupe, ...args], { encoding: 'utf8', cwd: dir });
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('retouch writes a layered PSD and a preview identical to its composite, and leaves the input untouched', async () => {
  const input = join(dir, 'ring.png');
  copyFileSync(sample, input);
  const hash = sha(input);
  const res = run('retouch', input, '--mask', sampleMask, '--out', join(dir, 'out'), '--json');
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout.trim());
  for (const key of ['input', 'psd', 'preview', 'metal', 'hotspots', 'layers', 'timingsMs']) assert.ok(key in report, key);
  assert.equal(report.metal.detected, 'yellow-gold');
  for (const k of ['L', 'a', 'b', 'h']) assert.equal(typeof report.metal.before[k], 'number');
  // The sample is brassy (h ≈ 88°); after, the gold sits in the 18K window (72–84°).
  assert.ok(report.metal.before.h > 84, `before h ${report.metal.before.h}`);
  assert.ok(report.metal.after.h >= 72 && report.metal.after.h <= 84, `after h ${report.metal.after.h}`);
  assert.ok(report.hotspots.clippedAfter < report.hotspots.clippedBefore);
  assert.deepEqual(report.layers.slice(0, 2), ['Metal tone · 18K yellow gold', 'Hotspot roll-off']);
  assert.equal(sha(input), hash, 'the input file changed');

  const psdComposite = await readImageFile(report.psd);
  const preview = await readImageFile(report.preview);
  assert.equal(preview.width, 1600);
  assert.equal(preview.height, 1200);
  assert.ok(Buffer.from(psdComposite.data).equals(Buffer.from(preview.data)), 'preview differs from the PSD composite');

  // An independent reader sees the group and its layers.
  const tree = JSON.parse(execFileSync('/usr/bin/python3', [join(root, 'test', 'readers', 'inspect_psd.py'), report.psd], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const text = JSON.stringify(tree);
  for (const name of ['Loupe · Retouch metal', 'Metal tone · 18K yellow gold', 'Hotspot roll-off', 'Jewelry']) assert.ok(text.includes(name), `${name} missing in psd-tools' view`);
});

test('without --mask the piece is found by the mask model on a plain backdrop too', () => {
  const res = run('retouch', sample, '--out', join(dir, 'auto'), '--json');
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout.trim());
  assert.equal(report.mask, 'mask model');
  assert.equal(report.metal.detected, 'yellow-gold');
});

test('without --mask on a busy backdrop (skin) the piece is found by the mask model, and the report says so', () => {
  const onSkin = join(root, '..', 'shared', 'evaldata', 'synth', '000_cast.png');
  const res = run('retouch', onSkin, '--out', join(dir, 'skin'), '--json');
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout.trim());
  assert.equal(report.mask, 'mask model');
  assert.match(report.notes.join(' '), /mask model/);
});

test('with --mask on skin under a warm light, the mask model reads the family: white gold, not the rose gold its colour suggests (retouch and fidelity alike)', () => {
  const scene = join(root, '..', 'shared', 'evaldata', 'synth', '017');
  const res = run('retouch', `${scene}_cast.png`, '--mask', `${scene}_mask.png`, '--out', join(dir, 'warm'), '--json');
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout.trim());
  assert.equal(report.mask, 'given');
  assert.equal(report.metal.castFrom, 'metal');
  assert.equal(report.metal.detected, 'white-gold');
  assert.match(report.notes.join(' '), /Identified as white gold: by its colour alone it looks like 18K rose gold, but Loupe's mask model.*reads white metal/);

  // The fidelity check recognises the metal as the retouch did, so it judges the result as white gold.
  const check = run('fidelity', `${scene}_cast.png`, report.preview, '--mask', `${scene}_mask.png`, '--json');
  assert.equal(check.status, 0, check.stderr);
  const tone = JSON.parse(check.stdout.trim()).checks.find((c: { id: string }) => c.id === 'metal-tone');
  assert.match(tone.detail, /^White gold/);
  assert.equal(tone.verdict, 'pass', tone.detail);
});

test('--metal overrides detection and names the layer', () => {
  const res = run('retouch', sample, '--mask', sampleMask, '--metal', 'rose-gold', '--out', join(dir, 'rose'), '--json');
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout.trim());
  assert.equal(report.metal.detected, 'rose-gold');
  assert.equal(report.layers[0], 'Metal tone · 18K rose gold');
});

test('bad input: one clear line on stderr, non-zero exit, nothing written', async () => {
  const text = join(dir, 'notes.png');
  writeFileSync(text, 'this is not a picture');
  const truncated = join(dir, 'cut.png');
  writeFileSync(truncated, readFileSync(sample).subarray(0, 40_000));
  const cmyk = join(dir, 'cmyk.jpg');
  await sharp(sample).toColourspace('cmyk').jpeg().toFile(cmyk);
  const smallMask = join(dir, 'small-mask.png');
  await sharp(sampleMask).resize(100, 75).toFile(smallMask);
  const cases: [string[], RegExp][] = [
    [['retouch', join(dir, 'missing.jpg')], /missing\.jpg/],
    [['retouch', text], /notes\.png/],
    [['retouch', truncated], /cut\.png/],
    [['retouch', cmyk], /CMYK/],
    [['retouch', sample, '--mask', smallMask], /100×75/],
    [['retouch', sample, '--metal', 'brass'], /unknown metal 'brass'/],
    [['frobnicate'], /unknown command/],
  ];
  for (const [args, message] of cases) {
    const outDir = join(dir, 'bad-out');
    const res = run(...args, '--out', outDir);
    assert.notEqual(res.status, 0, `${args.join(' ')} should fail`);
    assert.match(res.stderr, message);
    assert.equal(res.stderr.trim().split('\n').length, 1, `one line expected, got:\n${res.stderr}`);
    let written: string[] = [];
    try { written = readdirSync(outDir); } catch { /* folder never created */ }
    assert.deepEqual(written, [], `files written for ${args.join(' ')}`);
  }
});

test('an output that would overwrite an input (here the mask) is refused before any folder is made', () => {
  // `--out work/fresh/..` resolves to `work`, where ring.loupe.png is the given mask: the preview would
  // overwrite it. Nothing may be written, the mask stays as it was, and no `fresh` folder appears.
  const work = join(dir, 'refused');
  mkdirSync(work);
  const photo = join(work, 'ring.png');
  copyFileSync(sample, photo);
  const mask = join(work, 'ring.loupe.png');
  copyFileSync(sampleMask, mask);
  const hash = sha(mask);
  const res = run('retouch', photo, '--mask', mask, '--out', join(work, 'fresh', '..'));
  assert.notEqual(res.status, 0, 'refused');
  assert.match(res.stderr, /ring\.loupe\.png would overwrite an input: choose another --out folder/);
  assert.equal(sha(mask), hash, 'the mask is untouched');
  assert.deepEqual(readdirSync(work).sort(), ['ring.loupe.png', 'ring.png'], 'no new folder, no PSD');
});

test('a new --out folder is made only when the run writes, and from the resolved path', () => {
  const work = join(dir, 'resolved');
  mkdirSync(work);
  const res = run('retouch', sample, '--mask', sampleMask, '--out', join(work, 'a', 'b', '..'));
  assert.equal(res.status, 0, res.stderr);
  assert.deepEqual(readdirSync(work), ['a']);
  assert.deepEqual(readdirSync(join(work, 'a')).sort(), ['ring-yellow-gold-warm-cast.loupe.png', 'ring-yellow-gold-warm-cast.loupe.psd'], 'no stray b folder');
});

test('several inputs: one JSON line each; a bad one fails alone', () => {
  const res = run('retouch', sample, join(dir, 'missing.jpg'), '--mask', sampleMask, '--out', join(dir, 'batch'), '--json');
  assert.equal(res.status, 1);
  assert.equal(res.stdout.trim().split('\n').length, 1);
  assert.match(res.stderr, /missing\.jpg/);
});

test('--help explains the command', () => {
  const res = run('--help');
  assert.equal(res.status, 0);
  assert.match(res.stdout, /loupe retouch <inputs…>/);
});
