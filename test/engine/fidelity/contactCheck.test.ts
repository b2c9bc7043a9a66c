import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readImageFile, readMaskFile } from '../../../src/hosts/psd/readImageFile';
import { createMask, createRgba8, toRgba8, type Mask, type Rgba8Image } from '../../../src/engine/image';
import { checkContact, measureContact } from '../../../src/engine/fidelity/contactCheck';

const SYNTH = '/work/shared/evaldata/synth';

/** A gold disc "stud" standing on a white floor, optionally with a dark contact line and soft shadow under it. */
function studOnFloor(shadow: 'none' | 'contact' | 'faint', size = 400): { image: Rgba8Image; mask: Mask } {
  const w = size, h = size, cx = w / 2, cy = h * 0.55, r = w * 0.2;
  const img = new Uint8Array(w * h * 4);
  const mask = new Uint8Array(w * h);
  const bottom = cy + r;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      let floor = 250;
      const dy = y - bottom;
      if (shadow !== 'none' && dy >= 0 && Math.abs(x - cx) < r * 0.6) {
        const depth = shadow === 'contact' ? 150 : 12;
        floor -= depth * Math.exp(-dy / 3);
      }
      const inside = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= r;
      const v = inside ? [212, 168, 82] : [floor, floor, floor - 2];
      img.set([...v.map(Math.round), 255], i);
      mask[y * w + x] = inside ? 255 : 0;
    }
  }
  return { image: createRgba8(w, h, img), mask: createMask(w, h, mask) };
}

/** The piece pasted on its own backdrop colour: what a cut-out on a clean generated backdrop looks like. */
function pasteOnFlat(image: Rgba8Image, mask: Mask, rgb: readonly number[]): Rgba8Image {
  const out = Uint8Array.from(image.data);
  for (let p = 0; p < mask.data.length; p++) {
    const a = mask.data[p] / 255;
    for (let k = 0; k < 3; k++) out[p * 4 + k] = Math.round(image.data[p * 4 + k] * a + rgb[k] * (1 - a));
  }
  return createRgba8(image.width, image.height, out);
}

test('a piece with a dark contact line passes; the same piece without one floats', () => {
  const grounded = studOnFloor('contact');
  const c = checkContact(grounded.image, grounded.mask);
  assert.equal(c.verdict, 'pass', JSON.stringify(c));
  assert.ok(c.figure >= 8);
  assert.ok(c.where && c.where[0].y >= grounded.image.height * 0.75 - 5, 'band sits under the piece');

  const floating = studOnFloor('none');
  const f = checkContact(floating.image, floating.mask);
  assert.equal(f.verdict, 'fail');
  assert.equal(f.pass, false);
  assert.ok(Math.abs(f.figure) < 1, `figure ${f.figure}`);
  assert.match(f.detail ?? '', /floats/);
});

test('a barely visible shadow is a warning, not a pass', () => {
  const faint = studOnFloor('faint');
  const c = checkContact(faint.image, faint.mask);
  assert.equal(c.verdict, 'warn', JSON.stringify(c));
  assert.ok(c.pass);
});

test('a piece cut off by the bottom of the frame is skipped, not judged', () => {
  const w = 100, h = 100;
  const img = createRgba8(w, h, new Uint8Array(w * h * 4).fill(240));
  const m = createMask(w, h);
  for (let y = 60; y < h; y++) for (let x = 30; x < 70; x++) m.data[y * w + x] = 255;
  const c = checkContact(img, m);
  assert.equal(c.verdict, 'skipped');
  assert.ok(Number.isNaN(c.figure));
  assert.ok(c.pass);
});

test('an empty mask is skipped', () => {
  const img = createRgba8(10, 10);
  assert.equal(checkContact(img, createMask(10, 10)).verdict, 'skipped');
});

test('mask of another size is refused', () => {
  assert.throws(() => checkContact(createRgba8(10, 10), createMask(11, 10)), /same size/);
});

// Rendered scenes with a real (path-traced) contact shadow on a white or grey floor; on each, pasting the
// piece onto its own floor colour must turn the verdict into "floating".
for (const id of ['001', '003', '008', '014', '016', '023']) {
  test(`synth ${id}: the rendered contact shadow passes; the same piece pasted on a plain floor fails`, async () => {
    const image = toRgba8(await readImageFile(`${SYNTH}/${id}_ref.png`));
    const mask = await readMaskFile(`${SYNTH}/${id}_mask.png`, image.width, image.height);
    const real = checkContact(image, mask);
    assert.equal(real.verdict, 'pass', `${id}: ${JSON.stringify(real)}`);
    const m = measureContact(image, mask);
    const floor = [0, 1, 2].map(() => Math.round(255 * Math.pow((m.farL + 16) / 116, 3) ** (1 / 2.4)));
    const pasted = checkContact(pasteOnFlat(image, mask, floor), mask);
    assert.equal(pasted.verdict, 'fail', `${id}: ${JSON.stringify(pasted)}`);
  });
}

test('bundled sample: the sweep\'s soft contact shadow passes', async () => {
  const image = toRgba8(await readImageFile('samples/ring-yellow-gold-warm-cast.png'));
  const mask = await readMaskFile('samples/ring-yellow-gold-warm-cast.mask.png', image.width, image.height);
  const c = checkContact(image, mask);
  assert.equal(c.verdict, 'pass', JSON.stringify(c));
});
