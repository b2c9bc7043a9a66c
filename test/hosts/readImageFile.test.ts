import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { crc32 } from 'node:zlib';
import { initializeCanvas, readPsd } from 'ag-psd';
import { InputError, encodeTiff, readImageFile, readMaskFile } from '../../src/hosts/psd/readImageFile';
import { buildMatrixTrcProfile } from '../../src/hosts/psd/srgbIccProfile';
import { scratchDir } from '../scratchDir';

const dir = scratchDir('loupe-read-');
const W = 40;
const H = 30;
const COLORMODES = '/work/shared/evaldata/psd/colormodes';

const rgb8 = new Uint8Array(W * H * 3).map((_, i) => (i * 37 + (i >> 5)) & 255);
const rgb16 = new Uint16Array(W * H * 3).map((_, i) => (i * 7919) & 65535);

async function file(name: string, make: (p: string) => Promise<unknown> | void): Promise<string> {
  const p = join(dir, name);
  await make(p);
  return p;
}

function rgbOf(data: Uint8Array | Uint16Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.length; i += 4) out.push(data[i], data[i + 1], data[i + 2]);
  return out;
}

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<InputError> {
  let caught: unknown;
  await p.catch((e) => (caught = e));
  assert.ok(caught instanceof InputError, `expected an InputError, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  return caught;
}

initializeCanvas(
  () => {
    throw new Error('no canvas');
  },
  (width, height) => ({ width, height, data: new Uint8ClampedArray(width * height * 4), colorSpace: 'srgb' }) as ImageData,
);

test('8-bit PNG reads byte-exact as opaque RGBA', async () => {
  const p = await file('a.png', (p) => sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).png().toFile(p));
  const im = await readImageFile(p);
  assert.equal(im.depth, 8);
  assert.deepEqual([im.width, im.height], [W, H]);
  assert.deepEqual(rgbOf(im.data), Array.from(rgb8));
  for (let i = 3; i < im.data.length; i += 4) assert.equal(im.data[i], 255);
});

test('16-bit PNG stays 16-bit, byte-exact', async () => {
  const p = await file('a16.png', (p) => sharp(rgb16, { raw: { width: W, height: H, channels: 3 } }).toColourspace('rgb16').png().toFile(p));
  const im = await readImageFile(p);
  assert.equal(im.depth, 16);
  assert.ok(im.data instanceof Uint16Array);
  assert.deepEqual(rgbOf(im.data), Array.from(rgb16));
  assert.equal(im.data[3], 65535);
});

test('PNG with transparency keeps its alpha', async () => {
  const rgba = new Uint8Array(W * H * 4).map((_, i) => (i % 4 === 3 ? (i * 3) & 255 : (i * 11) & 255));
  const p = await file('alpha.png', (p) => sharp(rgba, { raw: { width: W, height: H, channels: 4 } }).png().toFile(p));
  const im = await readImageFile(p);
  assert.deepEqual(Array.from(im.data), Array.from(rgba));
});

test('grayscale PNG (8 and 16 bit) expands to RGB', async () => {
  const g = new Uint8Array(W * H).map((_, i) => i & 255);
  const p = await file('g.png', (p) => sharp(g, { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').png().toFile(p));
  const im = await readImageFile(p);
  assert.equal(im.depth, 8);
  for (let i = 0; i < W * H; i++) assert.deepEqual(Array.from(im.data.subarray(4 * i, 4 * i + 4)), [g[i], g[i], g[i], 255]);
  const g16 = new Uint16Array(W * H).map((_, i) => i * 50);
  const p16 = await file('g16.png', (p) => sharp(g16, { raw: { width: W, height: H, channels: 1 } }).toColourspace('grey16').png().toFile(p));
  const im16 = await readImageFile(p16);
  assert.equal(im16.depth, 16);
  assert.deepEqual(Array.from(im16.data.subarray(4 * 7, 4 * 8)), [350, 350, 350, 65535]);
});

test('JPEG reads as 8-bit RGBA close to the source', async () => {
  const smooth = new Uint8Array(W * H * 3).map((_, i) => 60 + ((i / 3) % W) * 2);
  const p = await file('a.jpg', (p) => sharp(smooth, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 95 }).toFile(p));
  const im = await readImageFile(p);
  assert.equal(im.depth, 8);
  const got = rgbOf(im.data);
  const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - smooth[i])), 0);
  assert.ok(worst <= 6, `JPEG error ${worst}`);
});

test('TIFF 8-bit and 16-bit read byte-exact (16-bit kept)', async () => {
  const p8 = await file('a.tif', (p) => sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).tiff({ compression: 'lzw' }).toFile(p));
  const im8 = await readImageFile(p8);
  assert.equal(im8.depth, 8);
  assert.deepEqual(rgbOf(im8.data), Array.from(rgb8));
  const p16 = await file('a16.tif', (p) => sharp(rgb16, { raw: { width: W, height: H, channels: 3 } }).toColourspace('rgb16').tiff({ compression: 'none' }).toFile(p));
  assert.equal((await sharp(p16).metadata()).depth, 'ushort', 'fixture should be a 16-bit TIFF');
  const im16 = await readImageFile(p16);
  assert.equal(im16.depth, 16);
  assert.deepEqual(rgbOf(im16.data), Array.from(rgb16));
});

test('EXIF orientation is applied, as Photoshop does', async () => {
  const p = await file('rot.jpg', (p) => sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toFile(p));
  const im = await readImageFile(p);
  assert.deepEqual([im.width, im.height], [H, W]);
});

test('PSD composite: 8-bit RGB, 16-bit RGB and grayscale match ag-psd', async () => {
  for (const name of ['4x4_8bit_rgb', '4x4_16bit_rgb', '4x4_8bit_grayscale']) {
    const p = join(COLORMODES, `${name}.psd`);
    const im = await readImageFile(p);
    const ref = readPsd(readFileSync(p), { useImageData: true, skipLayerImageData: true, skipThumbnail: true });
    assert.ok(ref.imageData, name);
    assert.equal(im.depth, name.includes('16bit') ? 16 : 8, name);
    assert.deepEqual(Array.from(im.data), Array.from(ref.imageData.data), name);
  }
});

test('CMYK and Lab are refused with how to convert (PSD, JPEG, TIFF)', async () => {
  const cmyk = await rejects(readImageFile(join(COLORMODES, '4x4_8bit_cmyk.psd')), /is CMYK: Loupe works on RGB photos\. Convert it to sRGB \(Edit › Convert to Profile/);
  assert.equal(cmyk.path, join(COLORMODES, '4x4_8bit_cmyk.psd'));
  await rejects(readImageFile(join(COLORMODES, '4x4_8bit_lab.psd')), /4x4_8bit_lab\.psd is in Lab color.*Convert to Profile/);
  const jpg = await file('cmyk.jpg', (p) => sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).toColourspace('cmyk').jpeg().toFile(p));
  await rejects(readImageFile(jpg), /cmyk\.jpg is CMYK/);
  const lab = await file('lab.tif', (p) => writeFileSync(p, encodeTiff({ width: 4, height: 4, samples: new Uint8Array(48).fill(100), samplesPerPixel: 3, photometric: 8 })));
  await rejects(readImageFile(lab), /lab\.tif is in Lab color/);
});

test('32-bit float TIFF is refused', async () => {
  const p = await file('f.tif', (p) => writeFileSync(p, encodeTiff({ width: 4, height: 4, samples: new Float32Array(48).fill(0.5), samplesPerPixel: 3, photometric: 2 })));
  await rejects(readImageFile(p), /f\.tif is a 32-bit .*16 Bits\/Channel/);
});

test('images over 30000 px per side are refused before decoding', async () => {
  // A valid PNG header claiming 40000×10 px (no pixel data needed: we refuse on the header).
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } }).png().toBuffer();
  const big = Buffer.from(png);
  big.writeUInt32BE(40000, 16);
  big.writeUInt32BE(crc32(big.subarray(12, 29)), 29); // keep the IHDR checksum valid
  const p = await file('huge.png', (p) => writeFileSync(p, big));
  await rejects(readImageFile(p), /40000×4 px; Loupe works on images up to 30000 px per side/);
  const psd = Buffer.from(readFileSync(join(COLORMODES, '4x4_8bit_rgb.psd')));
  psd.writeUInt32BE(31000, 18);
  const pp = await file('huge.psd', (p) => writeFileSync(p, psd));
  await rejects(readImageFile(pp), /31000×4 px/);
});

test('truncated PNG, JPEG, TIFF and PSD are refused as incomplete', async () => {
  const sources = {
    png: await sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).png().toBuffer(),
    jpg: await sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).jpeg().toBuffer(),
    tif: await sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).tiff({ compression: 'none' }).toBuffer(),
    psd: readFileSync(join(COLORMODES, '4x4_8bit_rgb.psd')),
  };
  for (const [ext, bytes] of Object.entries(sources)) {
    // Cut in the middle of the pixel data, and (PNG/JPEG) just before the end marker.
    for (const keep of [Math.floor(bytes.length * 0.6), bytes.length - 2, bytes.length - 12]) {
      if (ext === 'tif' && keep !== Math.floor(bytes.length * 0.6)) continue;
      if (ext === 'psd' && keep !== bytes.length - 12) continue; // a PSD ends with pixel data
      const p = await file(`cut-${keep}.${ext}`, (p) => writeFileSync(p, bytes.subarray(0, keep)));
      await rejects(readImageFile(p), /is (incomplete|damaged)/);
    }
  }
});

test('missing file, folder, empty file and text renamed .png are InputErrors', async () => {
  await rejects(readImageFile(join(dir, 'nope.png')), /Can't find .*nope\.png\. Check the file name and folder/);
  const sub = join(dir, 'folder.png');
  mkdirSync(sub);
  await rejects(readImageFile(sub), /is a folder, not an image file/);
  const empty = await file('empty.jpg', (p) => writeFileSync(p, ''));
  await rejects(readImageFile(empty), /empty \(0 bytes\)/);
  const text = await file('notes.png', (p) => writeFileSync(p, 'Ring SKU 4411, shoot notes: gold looks too green\n'));
  await rejects(readImageFile(text), /notes\.png is not an image: it contains text although its name ends in \.png/);
  const webp = await file('a.webp', (p) => sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).webp().toFile(p));
  await rejects(readImageFile(webp), /WebP image, which Loupe does not read\. Export it/);
});

test('non-sRGB profiles are converted to sRGB with a warning; sRGB-tagged files stay byte-exact', async () => {
  // Display P3 (sharp's built-in) at 8 and 16 bit.
  const p3 = await file('p3.png', (p) => sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).withIccProfile('p3').png().toFile(p));
  const warnings: string[] = [];
  const im = await readImageFile(p3, { onWarning: (m) => warnings.push(m) });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /p3\.png has the color profile ".*"; Loupe converted it to sRGB/);
  const worst = rgbOf(im.data).reduce((m, v, i) => Math.max(m, Math.abs(v - rgb8[i])), 0);
  assert.ok(worst <= 3, `P3 → sRGB round trip off by ${worst}`); // two 8-bit quantisations

  // Adobe RGB (1998), built like our sRGB profile; 16-bit file: the conversion must target sRGB, not P3.
  const adobe = buildMatrixTrcProfile({
    description: 'Adobe RGB (1998) test',
    copyright: 'test',
    white: [0.9642, 1, 0.8249],
    red: [0.6097, 0.3111, 0.0195],
    green: [0.2053, 0.6257, 0.0609],
    blue: [0.1492, 0.0632, 0.7446],
    trc: 563 / 256,
  });
  const iccPath = await file('adobe.icc', (p) => writeFileSync(p, adobe));
  const a8 = await file('adobe8.png', (p) => sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).withIccProfile(iccPath).png().toFile(p));
  const warn8: string[] = [];
  const r8 = await readImageFile(a8, { onWarning: (m) => warn8.push(m) });
  assert.match(warn8[0] ?? '', /"Adobe RGB \(1998\) test"; Loupe converted it to sRGB/);
  const worst8 = rgbOf(r8.data).reduce((m, v, i) => Math.max(m, Math.abs(v - rgb8[i])), 0);
  assert.ok(worst8 <= 3, `Adobe RGB 8-bit → sRGB off by ${worst8}`);
  // 16-bit Adobe RGB must land in sRGB too (sharp's implicit 16-bit transform targets Display P3). Colours
  // inside sRGB (64..192 here) must match the 8-bit conversion; out-of-gamut ones clip via P3 (documented).
  const mid = new Uint8Array(W * H * 3).map((_, i) => 64 + ((i * 37) & 127));
  const mid8 = await file('adobe-mid8.png', (p) => sharp(mid, { raw: { width: W, height: H, channels: 3 } }).png().withIccProfile(iccPath).toFile(p));
  const ref8 = await readImageFile(mid8, { onWarning: () => undefined });
  const stored = await sharp(mid8).keepIccProfile().raw().toBuffer();
  const stored16 = new Uint16Array(stored.length).map((_, i) => stored[i] * 257);
  const tif16 = await file('adobe16.tif', (p) => writeFileSync(p, encodeTiff({ width: W, height: H, samples: stored16, samplesPerPixel: 3, photometric: 2, icc: adobe })));
  const r16 = await readImageFile(tif16, { onWarning: () => undefined });
  assert.equal(r16.depth, 16);
  const want = rgbOf(ref8.data);
  const worst16 = rgbOf(r16.data).reduce((m, v, i) => Math.max(m, Math.abs(v / 257 - want[i])), 0);
  assert.ok(worst16 <= 1.5, `Adobe RGB 16-bit → sRGB differs from the 8-bit conversion by ${worst16.toFixed(2)} levels`);

  const srgb = await file('srgb-tagged.png', (p) => sharp(rgb8, { raw: { width: W, height: H, channels: 3 } }).withIccProfile('srgb').png().toFile(p));
  const noWarn: string[] = [];
  const s = await readImageFile(srgb, { onWarning: (m) => noWarn.push(m) });
  assert.deepEqual(noWarn, []);
  assert.deepEqual(rgbOf(s.data), Array.from(rgb8));
});

test('readMaskFile: grayscale and RGB masks, one byte per pixel; size mismatch names both sizes', async () => {
  const g = new Uint8Array(W * H).map((_, i) => (i * 13) & 255);
  const gp = await file('mask.png', (p) => sharp(g, { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').png().toFile(p));
  const m = await readMaskFile(gp, W, H);
  assert.deepEqual([m.width, m.height], [W, H]);
  assert.deepEqual(Array.from(m.data), Array.from(g));
  const bw = new Uint8Array(W * H * 3).map((_, i) => (Math.floor(i / 3) % 2 ? 255 : 0));
  const rp = await file('mask-rgb.png', (p) => sharp(bw, { raw: { width: W, height: H, channels: 3 } }).png().toFile(p));
  const mr = await readMaskFile(rp, W, H);
  assert.deepEqual(Array.from(mr.data.subarray(0, 4)), [0, 255, 0, 255]);
  const jp = await file('mask.jpg', (p) => sharp(bw, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 100 }).toFile(p));
  assert.equal((await readMaskFile(jp, W, H)).data.length, W * H);
  await rejects(readMaskFile(gp, 80, 60), /mask\.png is 40×30 px but the photo is 80×60 px/);
  await rejects(readMaskFile(join(dir, 'nomask.png'), W, H), /Can't find/);
});
