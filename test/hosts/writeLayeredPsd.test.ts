/**
 * Writes PSDs and reads them back with independent readers:
 *   - psd-tools (Debian package python3-psd-tools, run with /usr/bin/python3 test/readers/inspect_psd.py)
 *   - ImageMagick (Debian package imagemagick: identify, convert)
 * A missing reader FAILS these tests (naming the apt package) unless LOUPE_SKIP_READERS=1.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createRgba16, createRgba8, toRgba8, type Mask, type Rgba8Image } from '../../src/engine/image';
import type { Recipe } from '../../src/recipe/recipe';
import { readImageFile } from '../../src/hosts/psd/readImageFile';
import { writeLayeredPsd } from '../../src/hosts/psd/writeLayeredPsd';
import { SRGB_PROFILE_DESCRIPTION } from '../../src/hosts/psd/srgbIccProfile';
import { boxLayer, ellipseMask, makeComposite, makeRecipe, makeSource } from './psdFixtures';
import { scratchDir } from '../scratchDir';

const dir = scratchDir('loupe-psd-');
const W = 64;
const H = 48;
const INSPECT = new URL('../readers/inspect_psd.py', import.meta.url).pathname;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function bbox(width: number, height: number, on: (i: number) => boolean): Box {
  let left = width, top = height, right = 0, bottom = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (on(y * width + x)) {
        left = Math.min(left, x);
        top = Math.min(top, y);
        right = Math.max(right, x + 1);
        bottom = Math.max(bottom, y + 1);
      }
  return { left, top, right, bottom };
}

function cropPlane(m: Mask, b: Box): Uint8Array {
  const out: number[] = [];
  for (let y = b.top; y < b.bottom; y++) for (let x = b.left; x < b.right; x++) out.push(m.data[y * m.width + x]);
  return Uint8Array.from(out);
}

function cropRgba(im: Rgba8Image, b: Box): Uint8Array {
  const out: number[] = [];
  for (let y = b.top; y < b.bottom; y++) out.push(...im.data.subarray(4 * (y * im.width + b.left), 4 * (y * im.width + b.right)));
  return Uint8Array.from(out);
}

function rgbBytes(im: Rgba8Image): Uint8Array {
  const out = new Uint8Array(im.width * im.height * 3);
  for (let i = 0, o = 0; i < im.data.length; i += 4, o += 3) out.set(im.data.subarray(i, i + 3), o);
  return out;
}

/** True when the readers are there; fails (or skips with LOUPE_SKIP_READERS=1) otherwise. */
function readersPresent(t: TestContext, need: ('psd-tools' | 'imagemagick')[]): boolean {
  const missing: string[] = [];
  if (need.includes('psd-tools') && spawnSync('/usr/bin/python3', ['-c', 'import psd_tools, numpy']).status !== 0) missing.push('python3-psd-tools');
  if (need.includes('imagemagick') && spawnSync('convert', ['-version']).status !== 0) missing.push('imagemagick');
  if (missing.length === 0) return true;
  if (process.env.LOUPE_SKIP_READERS === '1') {
    t.skip(`independent readers missing (${missing.join(', ')}); skipped because LOUPE_SKIP_READERS=1`);
    return false;
  }
  assert.fail(`The independent PSD readers are not installed: run "apt-get update && apt-get install -y ${missing.join(' ')}" (or set LOUPE_SKIP_READERS=1 to skip these checks).`);
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function inspect(path: string): any {
  const r = spawnSync('/usr/bin/python3', [INSPECT, path], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `psd-tools could not read ${path}:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

const source = makeSource(W, H);
const recipe = makeRecipe(W, H);
const composite = makeComposite(source);
const XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Loupe"/></rdf:RDF></x:xmpmeta>';
const psdPath = join(dir, 'recipe.psd');
writeFileSync(psdPath, writeLayeredPsd({ source, recipe, composite, xmp: XMP }));

test('psd-tools: document, Background, group and every layer read back as written', (t) => {
  if (!readersPresent(t, ['psd-tools'])) return;
  const d = inspect(psdPath);
  assert.deepEqual([d.width, d.height, d.depth, d.color_mode], [W, H, 8, 'RGB']);
  assert.equal(d.channels, 5, 'RGB + 2 saved selections');
  assert.equal(d.layers.length, 2);

  const [bg, group] = d.layers;
  assert.equal(bg.name, 'Background');
  assert.equal(bg.kind, 'pixel');
  assert.equal(bg.transparency_protected, true);
  assert.deepEqual(bg.channel_ids, [0, 1, 2], 'no transparency channel: Photoshop shows it as the locked Background');
  assert.equal(bg.pixels_sha256, sha(source.data));

  assert.equal(group.name, recipe.groupName);
  assert.deepEqual([group.kind, group.blend, group.open, group.opacity], ['group', 'PASS_THROUGH', true, 255]);
  const kids = group.children;
  assert.deepEqual(
    kids.map((l: any) => [l.name, l.kind, l.blend, l.opacity, l.clip, l.visible]),
    [
      ['Metal tone · 18K yellow gold', 'curves', 'NORMAL', 255, false, true],
      ['Saturation', 'huesaturation', 'NORMAL', 255, false, true],
      ['Warmth', 'colorbalance', 'NORMAL', 204, false, true],
      ['Mixer', 'channelmixer', 'LUMINOSITY', 255, false, true],
      ['Contact shadow', 'pixel', 'MULTIPLY', 153, false, true],
      ['High-pass sharpen', 'pixel', 'OVERLAY', 128, true, true],
      ['Hidden check', 'curves', 'NORMAL', 255, false, false],
    ],
  );

  // Curves: per-channel points in both the v1 block and the 'Crv ' extra.
  const curves = recipe.layers[0].kind === 'adjustment' && recipe.layers[0].adjustment.type === 'curves' ? recipe.layers[0].adjustment : undefined;
  assert.ok(curves);
  assert.deepEqual(kids[0].curves, { rgb: curves.rgb, red: curves.red, blue: curves.blue });
  assert.deepEqual(kids[0].curves_extra, { 0: curves.rgb, 1: curves.red, 3: curves.blue });
  // Curves mask: cropped to its bounding box, outside = 0, bytes exact.
  const m0 = recipe.layers[0].mask!;
  const b0 = bbox(W, H, (i) => m0.data[i] !== 0);
  assert.deepEqual(kids[0].mask.bbox, [b0.left, b0.top, b0.right, b0.bottom]);
  assert.equal(kids[0].mask.default_color, 0);
  assert.equal(kids[0].mask.sha256, sha(cropPlane(m0, b0)));

  assert.deepEqual(kids[1].huesat.master, [-5, -12, 3]);
  assert.equal(kids[1].huesat.colorize, 0);
  assert.deepEqual(
    kids[1].huesat.ranges.map((r: number[][]) => r[0]),
    [[315, 345, 15, 45], [15, 45, 75, 105], [75, 105, 135, 165], [135, 165, 195, 225], [195, 225, 255, 285], [255, 285, 315, 345]],
  );
  assert.deepEqual(kids[2].colorbalance, { shadows: [0, 0, -5], midtones: [8, 0, -10], highlights: [0, 2, 0], preserve_luminosity: true });
  assert.deepEqual(kids[3].mixer, { monochrome: 0, red: [100, 0, 0, 0], green: [0, 96, 4, 0], blue: [-6, 10, 96, 2], gray: [40, 40, 20, 0] });

  // Pixel layer cropped to its non-transparent box, its mask to its own box.
  const shadow = recipe.layers[4];
  assert.equal(shadow.kind, 'pixel');
  const bs = bbox(W, H, (i) => shadow.image.data[4 * i + 3] !== 0);
  assert.deepEqual(kids[4].bbox, [bs.left, bs.top, bs.right, bs.bottom]);
  assert.equal(kids[4].pixels_sha256, sha(cropRgba(shadow.image, bs)));
  const ms = shadow.mask!;
  const bms = bbox(W, H, (i) => ms.data[i] !== 0);
  assert.deepEqual(kids[4].mask.bbox, [bms.left, bms.top, bms.right, bms.bottom]);
  assert.equal(kids[4].mask.sha256, sha(cropPlane(ms, bms)));
  assert.equal(kids[4].mask.default_color, 0);

  assert.equal(d.resolution, 72);
  assert.equal(d.xmp_length, XMP.length);
  assert.equal(d.icc.description, SRGB_PROFILE_DESCRIPTION);
  assert.equal(d.composite.sha256_rgb, sha(rgbBytes(composite)));
});

test('psd-tools: saved selections are named alpha channels equal to the masks, byte-exact', (t) => {
  if (!readersPresent(t, ['psd-tools'])) return;
  const d = inspect(psdPath);
  assert.deepEqual(d.alpha_names, ['Jewelry', 'Stones']);
  assert.deepEqual(d.alpha_names_pascal, ['Jewelry', 'Stones']);
  assert.equal(d.has_display_info, true);
  assert.equal(d.merged_channels.length, 5);
  assert.equal(d.merged_channels[3].sha256, sha(recipe.selections![0].mask.data), 'Jewelry');
  assert.equal(d.merged_channels[4].sha256, sha(recipe.selections![1].mask.data), 'Stones');
});

test('ImageMagick: parses the ICC profile, XMP, resolution; merged image = the composite, byte-exact', async (t) => {
  if (!readersPresent(t, ['imagemagick'])) return;
  const info = run('identify', ['-verbose', `${psdPath}[0]`]);
  assert.match(info, new RegExp(`icc:description: ${SRGB_PROFILE_DESCRIPTION.replace(/[()]/g, '\\$&')}`));
  assert.match(info, /Profile-xmp: \d+ bytes/);
  assert.match(info, /Resolution: 72x72/);
  assert.match(info, /Colorspace: sRGB/);
  assert.doesNotMatch(info, /Alpha: /, 'saved selections must not be read as transparency');
  const png = join(dir, 'merged.png');
  run('convert', [`${psdPath}[0]`, png]);
  const { data, info: pi } = await sharp(png).keepIccProfile().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([pi.width, pi.height, pi.channels], [W, H, 3]);
  assert.ok(Buffer.from(rgbBytes(composite)).equals(data), 'ImageMagick merged image differs from the composite');
});

test('readImageFile reads our PSD back: the composite, with the selections not mistaken for alpha', async () => {
  const back = await readImageFile(psdPath);
  assert.equal(back.depth, 8);
  assert.deepEqual(Array.from(back.data), Array.from(composite.data));
});

test('16-bit source: Background holds it rounded to 8 bits; resolution and layer name as given', (t) => {
  if (!readersPresent(t, ['psd-tools'])) return;
  const s16 = createRgba16(W, H, new Uint16Array(W * H * 4).map((_, i) => (i % 4 === 3 ? 65535 : (i * 523) & 65535)));
  const p = join(dir, 'src16.psd');
  writeFileSync(p, writeLayeredPsd({ source: s16, recipe, composite, sourceLayerName: 'ring-042.tif', resolutionPpi: 300 }));
  const d = inspect(p);
  assert.equal(d.layers[0].name, 'ring-042.tif');
  assert.equal(d.layers[0].pixels_sha256, sha(toRgba8(s16).data));
  assert.equal(d.resolution, 300);
  assert.equal(d.xmp_length, 0);
});

test('transparent source: an ordinary "Layer 0", merged transparency, then the selection channel', (t) => {
  if (!readersPresent(t, ['psd-tools'])) return;
  const cut = createRgba8(W, H, source.data.map((v, i) => (i % 4 === 3 && i % 32 === 3 ? 0 : v)));
  const comp = createRgba8(W, H, composite.data.map((v, i) => (i % 4 === 3 && i % 32 === 3 ? 0 : v)));
  const r: Recipe = { ...recipe, selections: [recipe.selections![0]] };
  const p = join(dir, 'transparent.psd');
  writeFileSync(p, writeLayeredPsd({ source: cut, recipe: r, composite: comp }));
  const d = inspect(p);
  assert.equal(d.layers[0].name, 'Layer 0');
  assert.equal(d.layers[0].transparency_protected, false);
  assert.deepEqual(d.layers[0].channel_ids, [-1, 0, 1, 2]);
  assert.equal(d.channels, 5, 'RGB + merged transparency + 1 selection');
  assert.equal(d.merged_channels[4].sha256, sha(r.selections![0].mask.data));
});

test('edge cases: empty mask and empty pixel layer, no selections', (t) => {
  if (!readersPresent(t, ['psd-tools'])) return;
  const r: Recipe = {
    groupName: 'Edge',
    width: W,
    height: H,
    layers: [
      { kind: 'adjustment', name: 'All hidden', blendMode: 'normal', opacity: 1, mask: ellipseMask(W, H, 5, 5, 0.1, 0.1), adjustment: { type: 'hue/saturation', hue: 0, saturation: 10, lightness: 0 } },
      { kind: 'pixel', name: 'Empty', blendMode: 'screen', opacity: 1, image: boxLayer(W, H, { left: 0, top: 0, right: 0, bottom: 0 }, [0, 0, 0, 0]) },
    ],
  };
  const p = join(dir, 'edge.psd');
  writeFileSync(p, writeLayeredPsd({ source, recipe: r, composite }));
  const d = inspect(p);
  assert.equal(d.channels, 3);
  assert.deepEqual(d.alpha_names, []);
  const [hidden, empty] = d.layers[1].children;
  assert.equal(hidden.mask.default_color, 0);
  assert.deepEqual(empty.bbox, [0, 0, 0, 0]);
  assert.equal(empty.blend, 'SCREEN');
});

test('size mismatches and an inconsistent composite are programming errors with a clear message', () => {
  const small = makeSource(W / 2, H / 2);
  assert.throws(() => writeLayeredPsd({ source: small, recipe, composite }), /the source image is 32×24 but the recipe is 64×48/);
  assert.throws(() => writeLayeredPsd({ source, recipe, composite: small }), /the composite is 32×24/);
  const holes = createRgba8(W, H, composite.data.map((v, i) => (i === 3 ? 0 : v)));
  assert.throws(() => writeLayeredPsd({ source, recipe, composite: holes }), /composite has transparent pixels but the source is opaque/);
  const bad: Recipe = { ...recipe, selections: [{ name: 'x', mask: ellipseMask(W / 2, H / 2, 0.5, 0.5, 0.2, 0.2) }] };
  assert.throws(() => writeLayeredPsd({ source, recipe: bad, composite }), /saved selection "x" is 32×24/);
});
