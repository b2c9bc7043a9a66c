/**
 * `loupe shadow` and `loupe sharpen` end to end: real files in, a layered PSD (read back by psd-tools)
 * and a preview out, the input untouched; bad input refused in one line with nothing written.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { readImageFile } from '../../src/hosts/psd/readImageFile';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const loupe = join(root, 'bin', 'loupe.js');
const sample = join(root, 'samples', 'ring-yellow-gold-warm-cast.png');
const sampleMask = join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png');
const sampleStones = join(root, 'samples', 'ring-yellow-gold-warm-cast.stones.png');
let dir = '';

before(() => { dir = mkdtempSync(join(tmpdir(), 'loupe-helpers-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [loupe, ...args], { encoding: 'utf8', cwd: dir });
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/* eslint-disable @typescript-eslint/no-explicit-any */
const inspect = (path: string): any => JSON.parse(execFileSync('/usr/bin/python3', [join(root, 'test', 'readers', 'inspect_psd.py'), path], { encoding: 'utf8', maxBuffer: 1 << 26 }));

for (const [command, extra, group, layers] of [
  ['shadow', ['--light', '135'], 'Loupe · Contact shadow', ['Contact shadow · cast', 'Contact shadow · line']],
  ['sharpen', ['--stones', sampleStones, '--exclude-stones'], 'Loupe · Sharpen', ['Sharpen · high pass 0.6 px']],
] as const) {
  test(`loupe ${command} writes a PSD psd-tools reads, a preview equal to its composite, and leaves the input alone`, async () => {
    const input = join(dir, `${command}.png`);
    copyFileSync(sample, input);
    const hash = sha(input);
    const res = run(command, input, '--mask', sampleMask, ...extra, '--out', join(dir, command), '--json');
    assert.equal(res.status, 0, res.stderr);
    const report = JSON.parse(res.stdout.trim());
    assert.deepEqual(report.layers, layers);
    assert.equal(sha(input), hash, 'the input changed');
    const psd = await readImageFile(report.psd);
    const preview = await readImageFile(report.preview);
    assert.ok(Buffer.from(psd.data).equals(Buffer.from(preview.data)));
    const doc = inspect(report.psd);
    assert.deepEqual(doc.layers.map((l: any) => l.name), ['Background', group]);
    assert.deepEqual(doc.layers[1].children.map((l: any) => [l.name, l.kind, l.blend]), layers.map((n) => [n, 'pixel', command === 'shadow' ? 'MULTIPLY' : 'OVERLAY']));
    assert.deepEqual(doc.alpha_names, ['Jewelry']);
    if (command === 'shadow') assert.deepEqual(report.light, { angleDeg: 135, from: 'given' });
  });
}

test('without --mask on skin the piece is found by the mask model, as retouch finds it, and the JSON says so', () => {
  const onSkin = join(root, '..', 'shared', 'evaldata', 'synth', '000_cast.png');
  const res = run('shadow', onSkin, '--out', join(dir, 'skin'), '--json');
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout.trim());
  assert.equal(report.mask, 'mask model');
  assert.match(report.notes.join(' '), /mask model/);
  assert.deepEqual(inspect(report.psd).alpha_names, ['Jewelry']);
});

test('bad input: one clear line, non-zero exit, nothing written', async () => {
  const empty = join(dir, 'empty.png');
  await sharp({ create: { width: 1600, height: 1200, channels: 3, background: "#000000" } }).png().toFile(empty);
  const small = join(dir, 'small.png');
  await sharp(sampleMask).resize(100, 75).toFile(small);
  const cut = join(dir, 'cut.png');
  await sharp({ create: { width: 1600, height: 1200, channels: 3, background: "#000000" } })
    .composite([{ input: { create: { width: 200, height: 300, channels: 3, background: '#ffffff' } }, left: 700, top: 900 }]).png().toFile(cut);
  const cases: [string[], RegExp][] = [
    [['shadow', sample, '--mask', empty], /mask is empty/],
    [['sharpen', sample, '--mask', empty], /mask is empty/],
    [['shadow', sample, '--mask', small], /100×75/],
    [['shadow', sample, '--mask', cut], /cut by the bottom edge/],
    [['shadow', join(dir, 'missing.jpg')], /missing\.jpg/],
    [['shadow', sample, '--light', 'left'], /--light/],
    [['sharpen', sample, '--exclude-stones'], /--stones/],
  ];
  for (const [args, message] of cases) {
    const outDir = join(dir, 'bad-out');
    const res = run(...args, '--out', outDir);
    assert.notEqual(res.status, 0, `${args.join(' ')} should fail`);
    assert.match(res.stderr, message);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    let written: string[] = [];
    try { written = readdirSync(outDir); } catch { /* never created */ }
    assert.deepEqual(written, [], `files written for ${args.join(' ')}`);
  }
});

test('loupe retouch --sharpen --shadow writes three groups in the order a retoucher stacks them', () => {
  const res = run('retouch', sample, '--mask', sampleMask, '--sharpen', '--shadow', '--amazon-main', '--out', join(dir, 'all'), '--json');
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout.trim());
  assert.deepEqual(report.layers.slice(-3), ['Sharpen · high pass 0.6 px', 'Contact shadow · cast', 'Contact shadow · line']);
  const doc = inspect(report.psd);
  assert.deepEqual(doc.layers.map((l: any) => l.name), ['Background', 'Loupe · Retouch metal', 'Loupe · Sharpen', 'Loupe · Contact shadow']);
  assert.deepEqual(doc.layers[3].children.map((l: any) => l.visible), [false, false], 'Amazon main: shadow layers hidden');
  assert.match(report.notes.join(' '), /Amazon/);
});
