import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { HAND_MASK_SCALE, handMaskedPhotos, scaleMaskAboutCentre } from '../../scripts/hand-mask-registration';

/** A disc of radius r about (cx, cy), 255 inside. */
function disc(w: number, h: number, cx: number, cy: number, r: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) m[y * w + x] = 255;
  return m;
}
const area = (m: Uint8Array) => m.reduce((n, v) => n + (v >= 128 ? 1 : 0), 0);

test('scale 1 leaves the mask as it is', () => {
  const m = disc(41, 30, 12, 17, 8);
  assert.deepEqual(scaleMaskAboutCentre(m, 41, 30, 1), m);
});

test('a disc about the centre shrinks to the scaled radius and stays centred', () => {
  const w = 200, h = 160, m = disc(w, h, 100, 80, 60);
  const s = scaleMaskAboutCentre(m, w, h, 0.5);
  assert.ok(Math.abs(area(s) / (Math.PI * 30 * 30) - 1) < 0.03, `area ${area(s)}`);
  // Centred: about as many pixels left of the centre as right of it (nearest sampling at a scale of exactly 0.5
  // samples on pixel boundaries, so not exactly).
  let left = 0, right = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (s[y * w + x]) { if (x < 100) left++; else right++; }
  assert.ok(Math.abs(left - right) < 0.03 * (left + right), `${left} left, ${right} right`);
});

test('an off-centre disc moves toward the centre by the scale', () => {
  const w = 200, h = 200, m = disc(w, h, 160, 100, 10);
  const s = scaleMaskAboutCentre(m, w, h, 0.75);
  let sx = 0, n = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (s[y * w + x]) { sx += x + 0.5; n++; }
  assert.ok(Math.abs(sx / n - 145) < 0.6, `centroid x ${sx / n}`); // 100 + 60 × 0.75
});

test('rejects a mask of the wrong size and a scale that is not positive', () => {
  assert.throws(() => scaleMaskAboutCentre(new Uint8Array(10), 4, 4, 1), /expected 4×4/);
  assert.throws(() => scaleMaskAboutCentre(new Uint8Array(16), 4, 4, 0), /positive/);
});

test('the hand-mask scale is a shrink of a few per cent', () => {
  assert.ok(HAND_MASK_SCALE > 0.9 && HAND_MASK_SCALE < 1);
});

test('lists the ten hand-masked ring photos', { skip: !existsSync('/work/shared/evaldata/masks') && 'no evaluation data' }, () => {
  const photos = handMaskedPhotos('/work/shared/evaldata');
  assert.equal(photos.length, 10);
  for (const [name, image, mask] of photos) {
    assert.match(name, /^ring-/);
    assert.ok(existsSync(image) && existsSync(mask));
  }
});
