/**
 * `loupe fidelity` end to end: exit codes (0 pass, 1 fail, 2 bad input), the JSON, the HTML report with
 * its pictures, the report PSD's hidden heatmap group (read back by psd-tools) and the XMP certificate
 * (read back by ImageMagick and parsed as XML by Python), inputs never modified.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePng } from '../../src/hosts/psd/writeFileAtomically';
import { resizeRgba8 } from '../../src/engine/resample';
import { SCENES, retouched, solitairePaintedOut } from '../engine/fidelity/damages';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const loupe = join(root, 'bin', 'loupe.js');
const sample = join(root, 'samples', 'ring-yellow-gold-warm-cast.png');
const mask = join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png');
const stones = join(root, 'samples', 'ring-yellow-gold-warm-cast.stones.png');
let dir = '';
let good = '', painted = '', small = '', busy = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loupe-fidelity-'));
  const s = await SCENES.sample();
  good = join(dir, 'ring.retouched.png');
  painted = join(dir, 'ring.painted.png');
  small = join(dir, 'ring.small.png');
  await writePng(good, retouched(s));
  await writePng(painted, solitairePaintedOut(s));
  await writePng(small, resizeRgba8(s.image, 800, 600));
  // A busy frame with no piece in it: not a plain backdrop, and nothing the mask model takes for jewelry.
  busy = join(dir, 'busy.png');
  execFileSync('convert', ['-seed', '7', '-size', '400x300', 'plasma:fractal', '-blur', '0x2', busy]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [loupe, 'fidelity', ...args], { encoding: 'utf8', cwd: dir });
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const xmpOf = (file: string) => execFileSync('convert', [file, 'xmp:-'], { encoding: 'utf8' });

test('the properly retouched result passes: exit 0, every check in the JSON with figure, threshold and verdict', () => {
  const hashes = [sample, mask, stones, good].map(sha);
  const res = run(sample, good, '--mask', mask, '--stones', stones, '--json');
  assert.equal(res.status, 0, res.stderr + res.stdout);
  const r = JSON.parse(res.stdout.trim());
  assert.equal(r.verdict === 'fail', false);
  assert.equal(r.tier, 'listing');
  const ids = r.checks.map((c: { id: string }) => c.id);
  for (const id of ['structure', 'colour-drift', 'metal-tone', 'stones', 'settings', 'sharpness', 'halo', 'spill', 'alignment', 'highlights', 'contact']) assert.ok(ids.includes(id), id);
  for (const c of r.checks) {
    for (const k of ['figure', 'threshold', 'comparison', 'verdict', 'label']) assert.ok(k in c, `${c.id} lacks ${k}`);
  }
  assert.deepEqual([sample, mask, stones, good].map(sha), hashes, 'an input changed');
});

test('a painted-out stone fails: exit 1, failures listed first, the stone count says 2 regions lost', () => {
  const res = run(sample, painted, '--mask', mask, '--stones', stones);
  assert.equal(res.status, 1, res.stderr);
  const lines = res.stdout.split('\n');
  assert.match(lines[0], /FAILS/);
  const failing = lines.filter((l) => l.startsWith('  ✗'));
  assert.ok(failing.some((l) => /✗ Stone count\s+2 stones lost/.test(l)), res.stdout);
  assert.deepEqual(lines.slice(1, 1 + failing.length), failing, 'failures first');
});

test('--report writes the HTML page, its pictures and a PSD with the hidden Fidelity group and the certificate', () => {
  const rep = join(dir, 'report');
  const res = run(sample, painted, '--mask', mask, '--stones', stones, '--report', rep, '--json');
  assert.equal(res.status, 1, res.stderr);
  const html = readFileSync(join(rep, 'index.html'), 'utf8');
  for (const s of ['Fails', 'Stone count', 'original.png', 'result.png', 'heatmap-1.png', 'crop-1.png']) assert.ok(html.includes(s), s);
  for (const f of ['original.png', 'result.png', 'heatmap-1.png', 'heatmap-2.png', 'crop-1.png']) assert.ok(existsSync(join(rep, f)), f);

  const tree = JSON.parse(execFileSync('/usr/bin/python3', [join(root, 'test', 'readers', 'inspect_psd.py'), join(rep, 'fidelity.psd')], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const group = tree.layers.find((l: { name: string }) => l.name === 'Loupe · Fidelity');
  assert.ok(group, 'no Fidelity group');
  assert.equal(group.children.length, 3);
  for (const layer of group.children) assert.equal(layer.visible, false, `${layer.name} is visible`);
  assert.ok(tree.xmp_length > 500);
  const xmp = xmpOf(join(rep, 'fidelity.psd[0]'));
  assert.match(xmp, /Iptc4xmpExt:DigitalSourceType="http:\/\/cv\.iptc\.org\/newscodes\/digitalsourcetype\/digitalCapture"/);
  assert.match(xmp, /loupe:Verdict="fail"/);
  // Well-formed XML, with one check entry per check.
  const count = execFileSync('/usr/bin/python3', ['-c', [
    'import sys, xml.etree.ElementTree as E',
    'root = E.fromstring(sys.stdin.read().split("?>", 1)[1].rsplit("<?xpacket", 1)[0])',
    'print(len(root.findall(".//{urn:loupe:fidelity:1.0#}Id")))',
  ].join('\n')], { input: xmp, encoding: 'utf8' });
  assert.equal(Number(count), JSON.parse(res.stdout).checks.length);
});

test('--certify with --ai-background: the JPEG carries the composite-with-AI source type; Amazon main refuses it', () => {
  const cert = join(dir, 'cert.jpg');
  const res = run(sample, good, '--mask', mask, '--ai-background', '--marketplace', 'amazon-main', '--certify', cert, '--json');
  assert.equal(res.status, 1, res.stderr);
  const r = JSON.parse(res.stdout);
  assert.equal(r.marketplace.checks.find((c: { id: string }) => c.id === 'amazon-main:ai-background').verdict, 'fail');
  const xmp = xmpOf(cert);
  assert.match(xmp, /digitalsourcetype\/compositeWithTrainedAlgorithmicMedia/);
  assert.match(xmp, /loupe:Marketplace="amazon-main"/);
  assert.equal(execFileSync('identify', ['-format', '%wx%h %m', cert], { encoding: 'utf8' }), '1600x1200 JPEG');
});

test('without --mask the piece is found by the mask model on a plain backdrop too; an untouched result passes', () => {
  const res = run(sample, sample, '--json');
  assert.equal(res.status, 0, res.stderr);
  assert.equal(JSON.parse(res.stdout).mask, 'mask model');
});

test('without --mask on skin the piece is found by the mask model; an untouched result does not fail', () => {
  const onSkin = join(root, '..', 'shared', 'evaldata', 'synth', '000_cast.png');
  const res = run(onSkin, onSkin, '--json');
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout);
  assert.equal(report.mask, 'mask model');
  assert.notEqual(report.verdict, 'fail');
  assert.match(report.notes.join(' '), /mask model/);
});

test('bad input: exit 2, one line saying what to do, nothing written', () => {
  const rep = join(dir, 'never');
  const cases: [string[], RegExp][] = [
    [[sample, small, '--mask', mask, '--report', rep], /result is 800×600 but the original is 1600×1200/],
    [[sample, good, '--tier', 'gallery', '--report', rep], /unknown tier 'gallery'/],
    [[busy, busy, '--report', rep], /no jewelry found in the photo: give its mask with --mask/],
    [[sample, good, '--marketplace', 'ebay', '--report', rep], /unknown marketplace 'ebay'/],
    [[sample, join(dir, 'missing.png'), '--report', rep], /missing\.png/],
    [[sample, '--report', rep], /give the original and the result/],
    [[sample, good, '--certify', join(dir, 'x.tif')], /\.png or \.jpg/],
    [[sample, good, '--mask', mask, '--certify', good], /would overwrite an input/],
  ];
  for (const [args, message] of cases) {
    const res = run(...args);
    assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, message);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.equal(res.stdout, '');
  }
  assert.equal(existsSync(rep), false, 'the report folder was created');
});
