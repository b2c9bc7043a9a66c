import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianBlur, gaussianKernel, blurMask, extendedBox, convolveSeparable, featherMask, featherMask1px } from '../../src/engine/gaussianBlur';
import { createMask } from '../../src/engine/image';

function moments(p: Float32Array, w: number, cx: number, cy: number) {
  let sum = 0, vx = 0, vy = 0;
  for (let i = 0; i < p.length; i++) {
    const x = i % w, y = (i / w) | 0;
    sum += p[i]; vx += p[i] * (x - cx) ** 2; vy += p[i] * (y - cy) ** 2;
  }
  return { sum, vx: vx / sum, vy: vy / sum };
}

test('kernel: normalised, symmetric, radius ceil(3σ)', () => {
  const k = gaussianKernel(2);
  assert.equal(k.length, 13);
  assert.ok(Math.abs(k.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  for (let i = 0; i < 6; i++) assert.equal(k[i], k[12 - i]);
  assert.throws(() => gaussianKernel(0));
});

for (const [sigma, method, tol] of [[1, 'exact', 0.02], [2.5, 'exact', 0.01], [4, 'box', 1e-6], [8, 'box', 1e-6], [6, 'auto', 1e-6]] as const) {
  test(`delta: sum 1 and variance ≈ σ² (σ=${sigma}, ${method})`, () => {
    const w = 121, h = 101, cx = 60, cy = 50;
    const d = new Float32Array(w * h);
    d[cy * w + cx] = 1;
    const out = gaussianBlur(d, w, h, sigma, undefined, { method });
    const m = moments(out, w, cx, cy);
    assert.ok(Math.abs(m.sum - 1) < 1e-5, `sum ${m.sum}`);
    // exact kernels truncated at 3σ lose a little variance (≈1.5% at σ=1); the extended box is exact.
    assert.ok(Math.abs(m.vx / sigma ** 2 - 1) < tol, `var x ${m.vx} vs ${sigma ** 2}`);
    assert.ok(Math.abs(m.vy / sigma ** 2 - 1) < tol, `var y ${m.vy} vs ${sigma ** 2}`);
    // peak at the centre, symmetric
    assert.ok(Math.abs(out[cy * w + cx + 3] - out[cy * w + cx - 3]) < 1e-7);
    assert.ok(Math.abs(out[(cy + 3) * w + cx] - out[(cy - 3) * w + cx]) < 1e-7);
    assert.ok(out[cy * w + cx] > out[cy * w + cx + 1]);
  });
}

test('box approximation stays close to the exact Gaussian', () => {
  const w = 101, h = 101;
  const d = new Float32Array(w * h);
  d[50 * w + 50] = 1;
  const e = gaussianBlur(d, w, h, 5, undefined, { method: 'exact', radius: 25 });
  const b = gaussianBlur(d, w, h, 5, undefined, { method: 'box' });
  let md = 0;
  for (let i = 0; i < e.length; i++) md = Math.max(md, Math.abs(e[i] - b[i]));
  assert.ok(md < 0.08 * e[50 * w + 50], `max diff ${md} vs peak ${e[50 * w + 50]}`);
});

test('extended box parameters reproduce the variance', () => {
  for (const s2 of [0.5, 2, 7.3, 21.33, 100]) {
    const { r, alpha } = extendedBox(s2);
    assert.ok(alpha >= 0 && alpha < 1, `alpha ${alpha}`);
    let num = 2 * alpha * (r + 1) ** 2;
    const den = 2 * r + 1 + 2 * alpha;
    for (let i = 1; i <= r; i++) num += 2 * i * i;
    assert.ok(Math.abs(num / den - s2) < 1e-9);
  }
});

test('clamp-to-edge: a constant plane stays constant (both methods); a step at the border is not darkened', () => {
  const w = 50, h = 20;
  const c = new Float32Array(w * h).fill(7.25);
  for (const method of ['exact', 'box'] as const) {
    const out = gaussianBlur(c, w, h, 4, undefined, { method });
    for (const v of out) assert.ok(Math.abs(v - 7.25) < 1e-4, `${method}: ${v}`);
  }
  const out = new Float32Array(w * h);
  assert.equal(gaussianBlur(c, w, h, 0, out), out);
  assert.deepEqual([...out], [...c]);
  assert.throws(() => gaussianBlur(c, w, h, 1, c));
});

test('convolveSeparable with a [1,2,1]/4 kernel', () => {
  const src = new Float32Array([0, 0, 0, 0, 4, 0, 0, 0, 0]);
  const out = convolveSeparable(src, 3, 3, new Float64Array([0.25, 0.5, 0.25]));
  assert.deepEqual([...out], [0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
});

test('blurMask feathers a hard edge and keeps full/empty interiors', () => {
  const w = 64, h = 8;
  const m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 32; x < w; x++) m[y * w + x] = 255;
  const f = blurMask(createMask(w, h, m), 3);
  assert.equal(f.data[3 * w + 0], 0);
  assert.equal(f.data[3 * w + 63], 255);
  const a = f.data[3 * w + 31], b = f.data[3 * w + 32];
  assert.ok(a > 80 && a < 128 && b > 128 && b < 175, `edge ${a} ${b}`);
  for (let x = 1; x < w; x++) assert.ok(f.data[3 * w + x] >= f.data[3 * w + x - 1], 'monotone');
});

/** Discs and speckles well inside the frame (borders clamp differently by method, which is not under test here). */
function blobs(w: number, h: number, seed: number): Uint8Array {
  const d = new Uint8Array(w * h);
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let k = 0; k < 30; k++) {
    const cx = 60 + rnd() * (w - 120), cy = 60 + rnd() * (h - 120), r = 1 + rnd() * 25;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) d[y * w + x] = 255;
  }
  for (let k = 0; k < 500; k++) d[(60 + Math.floor(rnd() * (h - 120))) * w + 60 + Math.floor(rnd() * (w - 120))] = 255;
  return d;
}

for (const sigma of [4, 6, 8, 12]) {
  test(`featherMask σ=${sigma} (coarse grid) stays within a few code values of the exact blur`, () => {
    const w = 401, h = 317;
    const mask = createMask(w, h, blobs(w, h, 11 + sigma));
    const exact = blurMask(mask, sigma, { method: 'exact' }).data;
    const fast = featherMask(mask, sigma).data;
    let max = 0, sum = 0;
    for (let i = 0; i < exact.length; i++) { const e = Math.abs(exact[i] - fast[i]); max = Math.max(max, e); sum += e; }
    assert.ok(max <= 16, `max ${max}`);
    assert.ok(sum / exact.length < 0.5, `mean ${sum / exact.length}`);
  });
}

test('featherMask leaves 0 where `only` is 0, at any σ', () => {
  const w = 160, h = 120;
  const mask = createMask(w, h, blobs(w, h, 5));
  const only = new Uint8Array(w * h);
  for (let i = 0; i < only.length; i += 3) only[i] = 1;
  for (const sigma of [2, 5, 9]) {
    const full = featherMask(mask, sigma).data, some = featherMask(mask, sigma, createMask(w, h, only)).data;
    for (let i = 0; i < only.length; i++) assert.equal(some[i], only[i] ? full[i] : 0);
  }
});

test('featherMask1px: the binomial 1 px feather keeps flat areas and is within 4 code values of the σ 1 Gaussian', () => {
  const w = 200, h = 150;
  const mask = createMask(w, h, blobs(w, h, 3));
  const binomial = featherMask1px(mask).data, gauss = blurMask(mask, 1, { method: 'exact' }).data;
  let max = 0;
  for (let i = 0; i < gauss.length; i++) max = Math.max(max, Math.abs(binomial[i] - gauss[i]));
  assert.ok(max <= 4, `max ${max}`);
  const flat = featherMask1px(createMask(9, 7, new Uint8Array(63).fill(200))).data;
  assert.ok(flat.every((v) => v === 200));
});
