import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ssim, lumaPlane } from '../../src/engine/ssim';
import { createMask, createRgba8 } from '../../src/engine/image';
import { readTsv, vectorPath } from './vectors';

async function loadGray(name: string): Promise<{ plane: Float32Array; width: number; height: number }> {
  const { data, info } = await sharp(vectorPath(`ssim-inputs/${name}`)).raw().toBuffer({ resolveWithObject: true });
  const plane = new Float32Array(info.width * info.height);
  for (let i = 0; i < plane.length; i++) plane[i] = data[i * info.channels]; // grey: all channels equal
  return { plane, width: info.width, height: info.height };
}

test('camera vs noisy camera: Gaussian σ1.5 11×11, population covariance, valid border', async () => {
  const rows = readTsv('ssim-skimage-camera.tsv');
  const ipol = Number(rows.find((r) => r.source.startsWith('IPOL'))!.expected_mssim);
  const sk = Number(rows.find((r) => r.source.startsWith('scikit-image 0.19.3'))!.expected_mssim);
  const a = await loadGray('camera.png');
  const b = await loadGray('camera-noisy-sigma20-seed5.png');
  assert.equal(a.width, 512);
  const r = ssim(a.plane, b.plane, a.width, a.height, { dataRange: 255 });
  // Same window and valid-region averaging as skimage (truncate 3.5 → radius 5 → 11×11).
  assert.ok(Math.abs(r.mssim - sk) < 1e-7, `mssim ${r.mssim} vs skimage 0.19.3 ${sk}`);
  assert.ok(Math.abs(r.mssim - ipol) < 5e-4, `mssim ${r.mssim} vs IPOL ${ipol} (3 decimals)`);
  assert.equal(r.mapWidth, 502);
  assert.equal(r.mapHeight, 502);
  assert.equal(r.offset, 5);
  // Map mean equals mssim; cs ≥ ssim-ish sanity and mean of the cs map equals meanCs.
  let s = 0, c = 0;
  for (let i = 0; i < r.ssimMap!.length; i++) { s += r.ssimMap![i]; c += r.csMap![i]; }
  assert.ok(Math.abs(s / r.ssimMap!.length - r.mssim) < 1e-6);
  assert.ok(Math.abs(c / r.csMap!.length - r.meanCs) < 1e-6);
  assert.ok(r.meanCs > 0.3 && r.meanCs < 0.4, `meanCs ${r.meanCs}`);
  // 'same' border gives a full-size map with a different (border-affected) mean.
  const same = ssim(a.plane, b.plane, a.width, a.height, { border: 'same', maps: false });
  assert.equal(same.mapWidth, 512);
  assert.equal(same.ssimMap, null);
  assert.ok(Math.abs(same.mssim - r.mssim) > 1e-4 && Math.abs(same.mssim - r.mssim) < 0.01);
});

test('identical planes give SSIM 1 and cs 1; symmetric; constant offset lowers only luminance', () => {
  const w = 40, h = 30;
  const x = new Float32Array(w * h), y = new Float32Array(w * h);
  for (let i = 0; i < x.length; i++) { x[i] = (i * 37) % 251; y[i] = (x[i] * 0.7 + ((i * 13) % 17)); }
  const same = ssim(x, x, w, h);
  assert.ok(Math.abs(same.mssim - 1) < 1e-12 && Math.abs(same.meanCs - 1) < 1e-12);
  const xy = ssim(x, y, w, h), yx = ssim(y, x, w, h);
  assert.ok(Math.abs(xy.mssim - yx.mssim) < 1e-12);
  assert.ok(xy.mssim < 0.99);
  const shifted = x.map((v) => v + 40);
  const sh = ssim(x, shifted, w, h);
  assert.ok(Math.abs(sh.meanCs - 1) < 1e-9, 'cs ignores a constant offset');
  assert.ok(sh.mssim < 1 - 1e-3, 'luminance term sees it');
});

test('weights restrict the mean to the masked region', () => {
  const w = 60, h = 40;
  const x = new Float32Array(w * h), y = new Float32Array(w * h);
  for (let i = 0; i < x.length; i++) x[i] = y[i] = (i * 53) % 200;
  // distort only the right half (columns ≥ 40)
  for (let yy = 0; yy < h; yy++) for (let xx = 40; xx < w; xx++) y[yy * w + xx] = 255 - x[yy * w + xx];
  const m = new Uint8Array(w * h);
  for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < 25; xx++) m[yy * w + xx] = 255; // left, far from the change
  const left = ssim(x, y, w, h, { weights: createMask(w, h, m) });
  assert.ok(Math.abs(left.mssim - 1) < 1e-9, `left mssim ${left.mssim}`);
  const all = ssim(x, y, w, h);
  assert.ok(all.mssim < 0.9);
  const none = ssim(x, y, w, h, { weights: new Float32Array(w * h) });
  assert.ok(Number.isNaN(none.mssim));
});

test('lumaPlane: Rec.601 default, Rec.709 option', () => {
  const img = createRgba8(2, 1, new Uint8Array([255, 0, 0, 255, 0, 0, 255, 255]));
  const y601 = lumaPlane(img);
  assert.ok(Math.abs(y601[0] - 0.299 * 255) < 1e-3 && Math.abs(y601[1] - 0.114 * 255) < 1e-3);
  const y709 = lumaPlane(img, '709');
  assert.ok(Math.abs(y709[0] - 0.2126 * 255) < 1e-3 && Math.abs(y709[1] - 0.0722 * 255) < 1e-3);
});

test('rejects images smaller than the window and mismatched sizes', () => {
  assert.throws(() => ssim(new Float32Array(100), new Float32Array(100), 10, 10));
  assert.throws(() => ssim(new Float32Array(100), new Float32Array(99), 10, 10));
  const r = ssim(new Float32Array(100).fill(3), new Float32Array(100).fill(3), 10, 10, { border: 'same' });
  assert.ok(Math.abs(r.mssim - 1) < 1e-12);
});
