import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRgba16, createRgba8, type Rgba8Image } from '../../src/engine/image';
import { CancelledError, familyByName, readMetalFamily, segmentWithModel, type MaskNetwork, type ModelMaskOptions } from '../../src/engine/segmentation/modelMask';

/**
 * A stand-in network: the jewelry logit of each pixel from its colour (sRGB 0..1), stones never, and a fixed
 * family reading. Records the sizes it was run at.
 */
function standIn(jewelryLogit: (r: number, g: number, b: number) => number, family = [0, 0, 0]): MaskNetwork & { calls: { width: number; height: number }[] } {
  const calls: { width: number; height: number }[] = [];
  return {
    multiple: 32,
    calls,
    async run(planes, width, height) {
      calls.push({ width, height });
      const n = width * height, logits = new Float32Array(2 * n).fill(-8);
      for (let i = 0; i < n; i++) logits[i] = jewelryLogit(planes[i], planes[n + i], planes[2 * n + i]);
      return { logits, family: Float32Array.from(family) };
    },
  };
}

/** "Jewelry" is anything clearly darker than the white backdrop. */
const darkIsJewelry = () => standIn((r, g, b) => (0.93 - (r + g + b) / 3) * 40, [2, 0, -1]);

/** A thin dark ring (a 3 px "chain") on white, with a solid dark disc off to one side. */
function thinRing(w: number, h: number): { image: Rgba8Image; truth: Uint8Array } {
  const data = new Uint8Array(w * h * 4).fill(255), truth = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x - w * 0.45, y - h * 0.5);
      const onRing = Math.abs(d - h * 0.3) <= 1.5, onDisc = Math.hypot(x - w * 0.78, y - h * 0.5) < h * 0.06;
      if (onRing || onDisc) { data.fill(60, (y * w + x) * 4, (y * w + x) * 4 + 3); truth[y * w + x] = 1; }
    }
  }
  return { image: createRgba8(w, h, data), truth };
}

test('a 3 px ring in a 2400 px frame survives: coarse pass, zoom on the piece, guided refinement', async () => {
  const { image, truth } = thinRing(2400, 1600);
  const net = darkIsJewelry();
  const result = await segmentWithModel(image, net);
  assert.equal(result.found, true);
  assert.equal(net.calls.length, 5, 'one coarse pass, and the zoomed pass as seen, mirrored, upside down and both');
  assert.ok(Math.max(net.calls[0].width, net.calls[0].height) <= 512 + 32);
  let inter = 0, union = 0;
  for (let i = 0; i < truth.length; i++) {
    const p = result.mask.data[i] >= 128 ? 1 : 0;
    inter += p & truth[i]; union += p | truth[i];
  }
  assert.ok(inter / union > 0.75, `IoU ${(inter / union).toFixed(3)}`);
  assert.ok(result.family[0] > result.family[1] && result.family[0] > result.family[2]);
  assert.ok(result.stones.data.every((v) => v < 128));
});

test('nothing dark in the frame: an empty mask, said plainly', async () => {
  const image = createRgba8(300, 200, new Uint8Array(300 * 200 * 4).fill(255));
  const result = await segmentWithModel(image, darkIsJewelry());
  assert.equal(result.found, false);
  assert.ok(result.mask.data.every((v) => v === 0));
  assert.match(result.warnings.join(' '), /no jewelry found/);
});

test('cancelled before it starts: CancelledError; a model with the wrong output size: a clear error', async () => {
  const { image } = thinRing(400, 300);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(segmentWithModel(image, darkIsJewelry(), { signal: controller.signal }), CancelledError);
  const wrong: MaskNetwork = { multiple: 32, run: async () => ({ logits: new Float32Array(10), family: new Float32Array(3) }) };
  await assert.rejects(segmentWithModel(image, wrong), /does not match this version of Loupe/);
  await assert.rejects(segmentWithModel(createRgba8(8, 8), darkIsJewelry()), /too small/);
});

test('the metal family alone: one whole-frame pass at 512 px, the same reading as the full mask gives; none from a tiny photo', async () => {
  const { image } = thinRing(2400, 1600);
  const network = darkIsJewelry();
  const family = await readMetalFamily(image, network);
  assert.deepEqual(network.calls, [{ width: 512, height: 352 }]);
  const full = await segmentWithModel(image, darkIsJewelry());
  assert.deepEqual(family, full.family);
  assert.ok(familyByName(family ?? [])['yellow-gold'] > 0.8, 'the network said yellow gold (logits 2, 0, -1)');
  assert.equal(await readMetalFamily(createRgba8(8, 8), darkIsJewelry()), null);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(readMetalFamily(image, darkIsJewelry(), { signal: controller.signal }), CancelledError);
});

/**
 * A network that marks dark pixels only in the left (or top) half of what it is given, except on the coarse
 * pass (the first of every `callsPerRun` calls), which must find the whole piece.
 */
function blindToHalf(half: 'right' | 'bottom', callsPerRun: number): MaskNetwork {
  let call = 0;
  return {
    multiple: 32,
    async run(planes, width, height) {
      const coarse = call++ % callsPerRun === 0;
      const n = width * height, logits = new Float32Array(2 * n).fill(-20);
      for (let i = 0; i < n; i++) {
        const luma = (planes[i] + planes[n + i] + planes[2 * n + i]) / 3;
        const seen = half === 'right' ? i % width < width / 2 : i < n / 2;
        if (luma < 0.6 && (coarse || seen)) logits[i] = 20;
      }
      return { logits, family: new Float32Array(3) };
    },
  };
}

test('the zoomed views are turned back before averaging: a network blind to its right or bottom half sees the whole piece at half weight', async () => {
  const { image } = thinRing(400, 300);
  // The ring's leftmost / rightmost points (x ≈ 0.45·400 ∓ 0.3·300) and top / bottom (y ≈ 150 ∓ 90) lie either
  // side of the zoomed region's middle.
  const left = 150 * 400 + 90, right = 150 * 400 + 270, top = 60 * 400 + 180, bottom = 240 * 400 + 180;
  const near = (v: number, want: number) => Math.abs(v - want) < 30;
  const seen = await segmentWithModel(image, blindToHalf('right', 2), { refineEpsilon: 0, views: 1 });
  assert.ok(seen.mask.data[left] > 200 && seen.mask.data[right] < 30, `as seen: left ${seen.mask.data[left]}, right ${seen.mask.data[right]}`);
  const mirrored = await segmentWithModel(image, blindToHalf('right', 3), { refineEpsilon: 0, views: 2 });
  assert.ok(near(mirrored.mask.data[left], 128) && near(mirrored.mask.data[right], 128), `mirrored: left ${mirrored.mask.data[left]}, right ${mirrored.mask.data[right]}`);
  // Upside down as well (the default): the bottom half is seen in two of the four views.
  const flipped = await segmentWithModel(image, blindToHalf('bottom', 5), { refineEpsilon: 0 });
  assert.ok(near(flipped.mask.data[top], 128) && near(flipped.mask.data[bottom], 128), `four views: top ${flipped.mask.data[top]}, bottom ${flipped.mask.data[bottom]}`);
  const mirroredOnly = await segmentWithModel(image, blindToHalf('bottom', 3), { refineEpsilon: 0, views: 2 });
  assert.ok(mirroredOnly.mask.data[top] > 200 && mirroredOnly.mask.data[bottom] < 30, `mirrored only: top ${mirroredOnly.mask.data[top]}, bottom ${mirroredOnly.mask.data[bottom]}`);
});

/** The jewelry probability is the pixel's red value. */
const redIsProbability = () => standIn((r) => { const p = Math.min(0.999, Math.max(0.001, r)); return Math.log(p / (1 - p)); });

test('the probability becomes alpha with a steeper slope about 0.5: no fog on the backdrop, the 0.5 cut unchanged', async () => {
  // Red ramps from 0 to 255 left to right: the probability does too, wherever the zoomed pass looks.
  const data = new Uint8Array(256 * 64 * 4).fill(255);
  for (let i = 0; i < 256 * 64; i++) data[i * 4] = i % 256;
  const image = createRgba8(256, 64, data);
  const options = { refineEpsilon: 0, views: 1 as const };
  const asIs = await segmentWithModel(image, redIsProbability(), { ...options, alphaContrast: 1 });
  const steep = await segmentWithModel(image, redIsProbability(), options);
  const row = (m: Uint8Array) => Array.from(m.subarray(32 * 256, 33 * 256));
  const [p, a] = [row(asIs.mask.data), row(steep.mask.data)];
  // Written as it is, a third of the way across reads about 85: fog. At the default slope it is backdrop.
  const third = 85;
  assert.ok(Math.abs(p[third] - 85) < 4, `probability at a third: ${p[third]}`);
  assert.equal(a[third], 0);
  assert.equal(a[256 - 1 - third], 255);
  // Monotone, and the same side of 128 everywhere (so IoU at 128 is what it was).
  for (let x = 1; x < 256; x++) assert.ok(a[x] >= a[x - 1], `not monotone at ${x}`);
  for (let x = 0; x < 256; x++) assert.equal(a[x] >= 128, p[x] >= 128, `cut moved at ${x}: ${p[x]} → ${a[x]}`);
  // Still a soft edge, not a step: the middle third of the ramp (255 / 3 pixels) lies between 0 and 255.
  assert.ok(a.filter((v) => v > 0 && v < 255).length >= 80, `${a.filter((v) => v > 0 && v < 255).length} soft pixels`);
});

test('a mask over most of the frame is said, not silently returned', async () => {
  // A dark frame with a white border: the stand-in network takes nearly all of it for jewelry.
  const w = 300, h = 200, data = new Uint8Array(w * h * 4).fill(255);
  for (let y = 10; y < h - 10; y++) data.fill(60, (y * w + 10) * 4, (y * w + w - 10) * 4);
  const result = await segmentWithModel(createRgba8(w, h, data), darkIsJewelry());
  assert.equal(result.found, true);
  assert.ok(result.coverage > 0.8);
  assert.match(result.warnings.join(' '), /the mask covers 8\d % of the photo, more than a piece usually fills: check it/);
  const { image } = thinRing(400, 300);
  const ring = await segmentWithModel(image, darkIsJewelry());
  assert.ok(!ring.warnings.some((w) => w.includes('covers')), ring.warnings.join('; '));
});

/** Jewelry is whatever is clearly unlike the grey backdrop, darker or brighter: polished metal is both. */
const unlikeGrey = () => standIn((r, g, b) => (Math.abs((r + g + b) / 3 - 0.55) - 0.15) * 40);

test('a 6 px chain of dark and bright links on grey survives the full-resolution refinement (guided by luminance it was wiped out)', async () => {
  const w = 2400, h = 1600, data = new Uint8Array(w * h * 4).fill(140), truth = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const r = Math.hypot(x - w / 2, y - h / 2);
      if (Math.abs(r - h * 0.3) > 3) continue;
      // Links 8 px long along the ring, alternately in shadow and in a highlight.
      const along = Math.atan2(y - h / 2, x - w / 2) * h * 0.3;
      data.fill(Math.floor(along / 8) % 2 === 0 ? 30 : 250, (y * w + x) * 4, (y * w + x) * 4 + 3);
      truth[y * w + x] = 1;
    }
  }
  const image = createRgba8(w, h, data);
  const overlap = async (options: ModelMaskOptions) => {
    const { mask } = await segmentWithModel(image, unlikeGrey(), options);
    let inter = 0, union = 0;
    for (let i = 0; i < truth.length; i++) { const p = mask.data[i] >= 128 ? 1 : 0; inter += p & truth[i]; union += p | truth[i]; }
    return inter / union;
  };
  // A guided filter fits the mask as a linear function of its guide in each window. In luminance a piece both
  // darker and brighter than its backdrop fits no such line, and over a wide window the fit comes out as
  // backdrop; in distance from the backdrop's colour both kinds of link lie on one side.
  const now = await overlap({});
  const byLuma = await overlap({ refineGuide: 'luma' }), byLumaWide = await overlap({ refineGuide: 'luma', refineEpsilon: 0.01, refineRadius: 2 });
  assert.ok(now > 0.85, `IoU ${now.toFixed(3)} with the default refinement`);
  // The same photo at 16 bits per channel: the backdrop's colour and the distances are read on its scale.
  const deep = createRgba16(w, h, Uint16Array.from(data, (v) => v * 257));
  const { mask: deepMask } = await segmentWithModel(deep, unlikeGrey());
  const { mask: shallowMask } = await segmentWithModel(image, unlikeGrey());
  let differ = 0;
  for (let i = 0; i < deepMask.data.length; i++) if (Math.abs(deepMask.data[i] - shallowMask.data[i]) > 2) differ++;
  assert.ok(differ < 0.001 * truth.length, `${differ} pixels differ between 8 and 16 bits`);
  assert.ok(byLuma < 0.6 && byLumaWide < 0.1, `IoU ${byLuma.toFixed(3)} guided by luminance, ${byLumaWide.toFixed(3)} over the old wider window: the scene no longer shows what it is for`);
});

/** Two dark discs on white, far apart: a ring and its neighbour. */
function twoDiscs(w: number, h: number): Rgba8Image {
  const data = new Uint8Array(w * h * 4).fill(255);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (Math.hypot(x - w * 0.25, y - h * 0.5) < h * 0.12 || Math.hypot(x - w * 0.75, y - h * 0.5) < h * 0.12) data.fill(60, (y * w + x) * 4, (y * w + x) * 4 + 3);
    }
  }
  return createRgba8(w, h, data);
}

/** A rectangular selection (a marquee), 255 inside. */
function marquee(w: number, h: number, x0: number, y0: number, x1: number, y1: number) {
  const data = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++) data.fill(255, y * w + x0, y * w + x1);
  return { width: w, height: h, data };
}

test('a rough selection around one piece: only that piece is masked, and the passes look only there', async () => {
  const w = 1200, h = 800, image = twoDiscs(w, h);
  const both = await segmentWithModel(image, darkIsJewelry());
  const leftOf = (mask: Uint8Array) => mask.reduce((n, v, i) => n + (v >= 128 && i % w < w / 2 ? 1 : 0), 0);
  const rightOf = (mask: Uint8Array) => mask.reduce((n, v, i) => n + (v >= 128 && i % w >= w / 2 ? 1 : 0), 0);
  assert.ok(leftOf(both.mask.data) > 0 && rightOf(both.mask.data) > 0, 'without a selection both discs are found');
  const net = darkIsJewelry();
  const one = await segmentWithModel(image, net, { within: marquee(w, h, 150, 250, 450, 550) });
  assert.equal(one.found, true);
  assert.equal(rightOf(one.mask.data), 0, 'the disc outside the selection is left out');
  // The selected disc comes out whole (radius 96 px, about 28 950 px).
  assert.ok(Math.abs(leftOf(one.mask.data) - Math.PI * 96 * 96) < 0.03 * Math.PI * 96 * 96, `${leftOf(one.mask.data)} px`);
  assert.deepEqual(one.warnings, []);
  assert.equal(net.calls.length, 5, 'the whole frame, then the zoomed views of the piece in the selection');
});

test('a small selection in a large photo is looked at again on its own, at its own size, and its piece found whole', async () => {
  const w = 4000, h = 2000;
  const data = new Uint8Array(w * h * 4).fill(255);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (Math.hypot(x - 3000, y - 1500) < 40) data.fill(60, (y * w + x) * 4, (y * w + x) * 4 + 3);
  const net = darkIsJewelry();
  const result = await segmentWithModel(createRgba8(w, h, data), net, { within: marquee(w, h, 2900, 1400, 3100, 1600) });
  assert.equal(net.calls.length, 6, 'the whole frame, the selection again, then the zoomed views');
  assert.ok(net.calls[1].width <= 224 && net.calls[1].height <= 224, `the selection's 204 px seen at its own size: ${net.calls[1].width}×${net.calls[1].height}`);
  const found = result.mask.data.reduce((n, v) => n + (v >= 128 ? 1 : 0), 0);
  assert.ok(Math.abs(found - Math.PI * 40 * 40) < 0.05 * Math.PI * 40 * 40, `${found} px`);
});

test('a selection that cuts the piece says so; an empty selection is refused; none inside is said plainly', async () => {
  const w = 1200, h = 800, image = twoDiscs(w, h);
  const cut = await segmentWithModel(image, darkIsJewelry(), { within: marquee(w, h, 150, 250, 300, 550) });
  assert.equal(cut.found, true);
  assert.match(cut.warnings.join(' '), /reaches the edge of the selection/);
  for (let y = 0; y < h; y++) for (let x = 300 + 3; x < w; x++) assert.ok(cut.mask.data[y * w + x] === 0, `(${x}, ${y}) beyond the selection and its 3 px margin`);
  await assert.rejects(segmentWithModel(image, darkIsJewelry(), { within: marquee(w, h, 0, 0, 0, 0) }), /selection is empty/);
  await assert.rejects(segmentWithModel(image, darkIsJewelry(), { within: marquee(w / 2, h / 2, 0, 0, 10, 10) }), /selection is 600×400 px but the photo is 1200×800 px/);
  const none = await segmentWithModel(image, darkIsJewelry(), { within: marquee(w, h, 500, 50, 700, 150) });
  assert.equal(none.found, false);
  assert.ok(none.mask.data.every((v) => v === 0));
  assert.match(none.warnings.join(' '), /no jewelry found inside the selection/);
});
