import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxMean, guidedFilter } from '../../src/engine/guidedFilter';

test('boxMean equals the brute-force mean over the clipped window', () => {
  const w = 23, h = 17, r = 3;
  const src = Float32Array.from({ length: w * h }, (_, i) => Math.sin(i * 0.37) * 10 + (i % 7));
  const fast = boxMean(src, w, h, r);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0, n = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) { sum += src[yy * w + xx]; n++; }
      assert.ok(Math.abs(fast[y * w + x] - sum / n) < 1e-4);
    }
  }
});

/** A guide with a sharp vertical edge at x = 40 and a mask that only knows it roughly (a 12 px ramp). */
function edgeScene(w: number, h: number) {
  const guide = new Float32Array(w * h), rough = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      guide[y * w + x] = x < 40 ? 0.15 : 0.85;
      rough[y * w + x] = Math.min(1, Math.max(0, (x - 34) / 12));
    }
  }
  return { guide, rough };
}

for (const subsample of [1, 2]) {
  test(`guided filter snaps a rough mask edge to the guide's edge (subsample ${subsample})`, () => {
    const w = 80, h = 24;
    const { guide, rough } = edgeScene(w, h);
    const q = guidedFilter(guide, rough, w, h, { radius: 8, epsilon: 1e-3, subsample });
    const row = 12 * w;
    // The ramp spanned x 34..46; after filtering the transition sits at the guide's edge.
    assert.ok(q[row + 36] < 0.2, `left of the edge: ${q[row + 36]}`);
    assert.ok(q[row + 44] > 0.8, `right of the edge: ${q[row + 44]}`);
    assert.ok(rough[row + 36] > 0.1 && rough[row + 44] < 0.9, 'the input really was rough there');
  });
}

test('guided filter keeps a flat mask flat and rejects planes of the wrong size', () => {
  const w = 30, h = 20;
  const guide = Float32Array.from({ length: w * h }, (_, i) => (i * 13) % 17 / 17);
  const flat = new Float32Array(w * h).fill(0.7);
  const q = guidedFilter(guide, flat, w, h, { radius: 4, epsilon: 1e-2 });
  for (const v of q) assert.ok(Math.abs(v - 0.7) < 1e-4);
  assert.throws(() => guidedFilter(guide, new Float32Array(5), w, h, { radius: 2, epsilon: 1e-3 }), /30×20/);
});
