import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask } from '../../src/engine/image';
import { keepInsideSelection, pixelsOnSelectionEdge, roughSelectionOf } from '../../src/engine/segmentation/roughSelection';

/** A seeded pseudo-random source, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('the selection grown by its margin equals a brute-force square reach, on random lassos', () => {
  const rand = lcg(7);
  for (let trial = 0; trial < 20; trial++) {
    const w = 40 + Math.floor(rand() * 80), h = 30 + Math.floor(rand() * 80);
    const sel = createMask(w, h);
    // A few blobs, half of them feathered (values under 128 are not selected).
    for (let b = 0; b < 3; b++) {
      const cx = rand() * w, cy = rand() * h, r = 2 + rand() * 12, soft = rand() < 0.5;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const d = Math.hypot(x - cx, y - cy);
        if (d < r) sel.data[y * w + x] = Math.max(sel.data[y * w + x], soft ? Math.round(255 * (1 - d / r)) : 255);
      }
    }
    const rough = roughSelectionOf(sel);
    if (!rough) { assert.ok(sel.data.every((v) => v < 128)); continue; }
    const { frame, allowed, margin } = rough;
    const fw = frame.x1 - frame.x0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      let reached = false;
      for (let dy = -margin; dy <= margin && !reached; dy++) for (let dx = -margin; dx <= margin && !reached; dx++) {
        const xx = x + dx, yy = y + dy;
        reached = xx >= 0 && yy >= 0 && xx < w && yy < h && sel.data[yy * w + xx] >= 128;
      }
      const inFrame = x >= frame.x0 && x < frame.x1 && y >= frame.y0 && y < frame.y1;
      if (!inFrame) { assert.equal(reached, false, `(${x}, ${y}) is reached but outside the frame`); continue; }
      assert.equal(allowed[(y - frame.y0) * fw + x - frame.x0] === 1, reached, `trial ${trial}, pixel (${x}, ${y})`);
    }
  }
});

test('nothing selected: no rough selection; the margin is 1 % of the longer side, at least 2 px', () => {
  assert.equal(roughSelectionOf(createMask(50, 50, new Uint8Array(2500).fill(127))), null);
  const big = createMask(3000, 100);
  for (let x = 100; x < 2900; x++) big.data[50 * 3000 + x] = 255;
  assert.equal(roughSelectionOf(big)!.margin, 28);
  const small = createMask(40, 40);
  small.data[20 * 40 + 20] = 255;
  assert.equal(roughSelectionOf(small)!.margin, 2);
});

test('masks are cleared outside the grown selection, and a piece cut by its edge is counted there', () => {
  const w = 100, h = 80;
  const sel = createMask(w, h);
  for (let y = 20; y < 60; y++) for (let x = 20; x < 70; x++) sel.data[y * w + x] = 255; // a marquee
  const rough = roughSelectionOf(sel)!;
  assert.equal(rough.margin, 2);
  // A bar running through the marquee's right edge and beyond.
  const bar = createMask(w, h);
  for (let y = 38; y < 42; y++) for (let x = 30; x < 95; x++) bar.data[y * w + x] = 255;
  keepInsideSelection(rough, bar);
  for (let y = 38; y < 42; y++) {
    assert.equal(bar.data[y * w + 71], 255, 'within the margin: kept');
    assert.equal(bar.data[y * w + 72], 0, 'beyond it: cleared');
  }
  assert.equal(pixelsOnSelectionEdge(bar, rough), 4, 'the bar\'s 4 rows meet the edge');
  // A mask over the whole photo keeps exactly what the selection allows: the marquee grown by 2 px.
  const full = createMask(w, h, new Uint8Array(w * h).fill(255));
  keepInsideSelection(rough, full);
  full.data.forEach((v, i) => {
    const x = i % w, y = Math.floor(i / w);
    assert.equal(v, x >= 18 && x < 72 && y >= 18 && y < 62 ? 255 : 0, `(${x}, ${y})`);
  });
  // A disc well inside touches no edge.
  const disc = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (Math.hypot(x - 45, y - 40) < 10) disc.data[y * w + x] = 255;
  keepInsideSelection(rough, disc);
  assert.equal(pixelsOnSelectionEdge(disc, rough), 0);
  // The photo's own edge is not the selection's: a selection running off the frame cuts nothing there.
  const toEdge = createMask(w, h);
  for (let y = 10; y < 30; y++) for (let x = 0; x < 30; x++) toEdge.data[y * w + x] = 255;
  const roughToEdge = roughSelectionOf(toEdge)!;
  const atEdge = createMask(w, h);
  for (let y = 15; y < 20; y++) for (let x = 0; x < 10; x++) atEdge.data[y * w + x] = 255;
  assert.equal(pixelsOnSelectionEdge(atEdge, roughToEdge), 0);
});
