/** Where the stones are, from a stones mask: specks do not set the size of a stone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findStones } from '../../../src/engine/fidelity/stoneMeasures';

function disc(mask: Uint8Array, w: number, cx: number, cy: number, r: number): void {
  for (let y = Math.floor(cy - r); y <= cy + r; y++) for (let x = Math.floor(cx - r); x <= cx + r; x++) if (Math.hypot(x - cx, y - cy) <= r) mask[y * w + x] = 255;
}

test('one stone with specks around it (a predicted mask at the prongs) is one stone, not hundreds', () => {
  const w = 200, h = 200, mask = new Uint8Array(w * h);
  disc(mask, w, 100, 100, 30);
  // 40 specks of 1–4 px, apart from each other and from the stone.
  for (let k = 0; k < 40; k++) {
    const x = 5 + (k % 10) * 6, y = 5 + Math.floor(k / 10) * 6;
    for (let p = 0; p <= k % 4; p++) mask[y * w + x + (p & 1)] = mask[(y + (p >> 1)) * w + x] = 200;
  }
  const stones = findStones(mask, w, h);
  assert.equal(stones.length, 1);
  assert.ok(Math.abs(stones[0].cx - 100) < 1 && Math.abs(stones[0].cy - 100) < 1);
});

test('pavé drawn as touching stones is still split by the typical stone size; nothing but specks is no stone', () => {
  const w = 300, h = 100, mask = new Uint8Array(w * h);
  for (const cx of [60, 100, 140]) disc(mask, w, cx, 50, 10); // three separate stones
  for (const cx of [200, 219]) disc(mask, w, cx, 50, 10); // two touching: one region
  mask[5 * w + 5] = 255;
  assert.equal(findStones(mask, w, h).length, 5);
  const specks = new Uint8Array(w * h);
  specks[10 * w + 10] = specks[20 * w + 40] = 255;
  assert.deepEqual(findStones(specks, w, h), []);
});
