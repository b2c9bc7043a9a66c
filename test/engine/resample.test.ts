import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resizePlane, downscalePlane, upscalePlane, resizeRgba8, resizeMask } from '../../src/engine/resample';
import { createMask, createRgba8 } from '../../src/engine/image';

test('a constant stays constant for any size change', () => {
  const src = new Float32Array(37 * 23).fill(3.5);
  for (const [dw, dh] of [[10, 7], [37, 23], [80, 51], [5, 40], [1, 1]]) {
    const out = resizePlane(src, 37, 23, dw, dh);
    assert.equal(out.length, dw * dh);
    for (const v of out) assert.ok(Math.abs(v - 3.5) < 1e-5, `${dw}×${dh}: ${v}`);
  }
});

test('downscale by 2 averages 2×2 blocks', () => {
  const w = 6, h = 4;
  const src = new Float32Array(w * h).map((_, i) => (i * 7) % 11);
  const out = downscalePlane(src, w, h, 3, 2);
  for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) {
    const i = 2 * y * w + 2 * x;
    const mean = (src[i] + src[i + 1] + src[i + w] + src[i + w + 1]) / 4;
    assert.ok(Math.abs(out[y * 3 + x] - mean) < 1e-6, `(${x},${y}) ${out[y * 3 + x]} vs ${mean}`);
  }
  assert.throws(() => downscalePlane(src, w, h, 7, 2));
});

test('non-integer downscale preserves the mean (area weights)', () => {
  const w = 10, h = 7;
  const src = new Float32Array(w * h).map((_, i) => (i * 13) % 17);
  const mean = src.reduce((a, b) => a + b, 0) / src.length;
  const out = downscalePlane(src, w, h, 4, 3);
  const m2 = out.reduce((a, b) => a + b, 0) / out.length;
  assert.ok(Math.abs(m2 - mean) < 1e-4, `${m2} vs ${mean}`);
});

test('bilinear upscale: pixel-centre aligned, linear ramp stays linear inside, edges clamped', () => {
  const src = new Float32Array([0, 10, 20, 30]);
  const out = upscalePlane(src, 4, 1, 8, 1);
  // x_src = (i+0.5)/2 − 0.5 → −0.25 (clamped 0), 0.25, 0.75, 1.25, ...
  const exp = [0, 2.5, 7.5, 12.5, 17.5, 22.5, 27.5, 30];
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(out[i] - exp[i]) < 1e-5, `${i}: ${out[i]}`);
  assert.throws(() => upscalePlane(src, 4, 1, 2, 1));
});

test('RGBA8: 2× downscale averages blocks; transparent pixels do not bleed colour', () => {
  const px = [
    [255, 0, 0, 255], [255, 0, 0, 255],
    [0, 0, 255, 0], [0, 0, 255, 255],
  ];
  const img = createRgba8(2, 2, new Uint8Array(px.flat()));
  const out = resizeRgba8(img, 1, 1);
  // alpha mean = 191.25 → 191; colour weighted by alpha: R = 2·255/3, B = 255/3
  assert.deepEqual([...out.data], [170, 0, 85, 191]);
  const opaque = createRgba8(2, 2, new Uint8Array([10, 20, 30, 255, 20, 30, 40, 255, 30, 40, 50, 255, 41, 50, 60, 255]));
  assert.deepEqual([...resizeRgba8(opaque, 1, 1).data], [25, 35, 45, 255]);
  const up = resizeRgba8(opaque, 4, 4);
  assert.equal(up.width, 4);
  assert.deepEqual([...up.data.subarray(0, 4)], [10, 20, 30, 255]);
});

test('mask resize rounds coverage', () => {
  const m = createMask(4, 2, new Uint8Array([255, 255, 0, 0, 255, 0, 0, 0]));
  const out = resizeMask(m, 2, 1);
  assert.deepEqual([...out.data], [191, 0]);
  const up = resizeMask(createMask(1, 1, new Uint8Array([200])), 3, 3);
  assert.deepEqual([...up.data], new Array(9).fill(200));
});
