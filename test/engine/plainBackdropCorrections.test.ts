import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, createRgba8, type Rgba8Image } from '../../src/engine/image';
import { clearFlatBackdrop, fillPieceHoles, PLAIN_BACKDROP_SIDE, readPlainBackdrop } from '../../src/engine/segmentation/plainBackdropCorrections';
import { segmentWithModel, type MaskNetwork } from '../../src/engine/segmentation/modelMask';
import { segmentOnPlainBackdrop } from '../../src/engine/segmentation/plainBackdropMask';

const W = 200, H = 120;

/** A backdrop map: 1 (backdrop) everywhere but where `piece` says. */
function backdropBut(piece: (x: number, y: number) => boolean): Uint8Array {
  const near = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) near[y * W + x] = piece(x, y) ? 0 : 1;
  return near;
}

/** A mask of 255 inside the rectangle. */
function blob(x0: number, y0: number, x1: number, y1: number) {
  const mask = createMask(W, H);
  for (let y = y0; y < y1; y++) mask.data.fill(255, y * W + x0, y * W + x1);
  return mask;
}

const at = (m: { data: Uint8Array }, x: number, y: number) => m.data[y * W + x];

test('the backdrop the network filled between two pieces is cleared; the pieces and a pixel round them stay', () => {
  const pieces = (x: number, y: number) => y >= 30 && y < 90 && ((x >= 40 && x < 80) || (x >= 120 && x < 160));
  const mask = blob(30, 20, 170, 100); // one blob over both, as the network drew two drop earrings
  const stones = blob(30, 20, 170, 100);
  const { cleared } = clearFlatBackdrop(mask, stones, backdropBut(pieces));
  assert.ok(cleared > 0);
  assert.equal(at(mask, 100, 60), 0, 'between the pieces');
  assert.equal(at(mask, 60, 60), 255, 'a piece');
  assert.equal(at(mask, 140, 25), 0, 'above a piece, beyond the clearance');
  assert.equal(at(mask, 80, 60), 255, 'the first backdrop pixel beside a piece is left to the network');
  assert.equal(at(stones, 100, 60), 0, 'stones stay within the mask');
  for (let i = 0; i < mask.data.length; i++) if (pieces(i % W, Math.floor(i / W))) assert.equal(mask.data[i], 255);
});

test('a small area of backdrop white enclosed by the piece (a blown highlight) stays; a large one (a ring hole) goes', () => {
  // A band 20 px wide round a 60 × 40 hole, and a 4 × 4 highlight as white as the backdrop inside the band.
  const band = (x: number, y: number) => x >= 50 && x < 150 && y >= 20 && y < 100 && !(x >= 70 && x < 130 && y >= 40 && y < 80);
  const highlight = (x: number, y: number) => x >= 56 && x < 64 && y >= 56 && y < 64;
  const near = backdropBut((x, y) => band(x, y) && !highlight(x, y));
  const mask = blob(50, 20, 150, 100); // the hole filled, as the network sometimes does
  clearFlatBackdrop(mask, null, near);
  assert.equal(at(mask, 60, 60), 255, 'the highlight');
  assert.equal(at(mask, 100, 60), 0, 'the hole');
  // Where the enclosed share is set above the hole's, the hole is left to the network too.
  const kept = blob(50, 20, 150, 100);
  clearFlatBackdrop(kept, null, near, { enclosedShare: 1 });
  assert.equal(at(kept, 100, 60), 255);
});

test('the mask fades out over the clearance beyond it rather than stopping in a step', () => {
  const mask = blob(0, 0, W, H);
  clearFlatBackdrop(mask, null, backdropBut((x) => x < 20), { clearance: 3 });
  const row = Array.from({ length: 30 }, (_, x) => at(mask, x, 60));
  assert.deepEqual(row.slice(0, 23), new Array(23).fill(255));
  assert.ok(row[24] > 0 && row[24] < 255, `${row.slice(20, 28)}`);
  assert.equal(row[27], 0);
});

test('a backdrop map of another size is refused', () => {
  assert.throws(() => clearFlatBackdrop(createMask(W, H), null, new Uint8Array(10)), /backdrop map is 10 pixels/);
});

/** Two dark drops on white, each a 40 × 120 px bar with a thin hook above it. */
function dropEarrings(): { image: Rgba8Image; truth: Uint8Array } {
  const w = 600, h = 400, data = new Uint8Array(w * h * 4).fill(255), truth = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const bar = y >= 150 && y < 270 && ((x >= 200 && x < 240) || (x >= 360 && x < 400));
      const hook = y >= 110 && y < 150 && (x === 220 || x === 221 || x === 380 || x === 381);
      if (bar || hook) { data.fill(40, (y * w + x) * 4, (y * w + x) * 4 + 3); truth[y * w + x] = 1; }
    }
  }
  return { image: createRgba8(w, h, data), truth };
}

/** A stand-in network that fills each row from its first dark pixel to its last, as 0.7.0 filled the backdrop
 * between two drop earrings. */
function fillingNetwork(): MaskNetwork {
  return {
    multiple: 32,
    async run(planes, width, height) {
      const n = width * height, logits = new Float32Array(2 * n).fill(-8);
      for (let y = 0; y < height; y++) {
        let first = -1, last = -1;
        for (let x = 0; x < width; x++) if (planes[y * width + x] < 0.5) { if (first < 0) first = x; last = x; }
        for (let x = first; first >= 0 && x <= last; x++) logits[y * width + x] = 8;
      }
      return { logits, family: new Float32Array(3) };
    },
  };
}

test('segmentWithModel: on a plain white backdrop the blob between two drops is cleared; without the corrections it stays', async () => {
  const { image, truth } = dropEarrings();
  const overlap = (mask: Uint8Array) => {
    let inter = 0, union = 0;
    for (let i = 0; i < truth.length; i++) { const p = mask[i] >= 128 ? 1 : 0; inter += p & truth[i]; union += p | truth[i]; }
    return inter / union;
  };
  const corrected = await segmentWithModel(image, fillingNetwork());
  const raw = await segmentWithModel(image, fillingNetwork(), { flatBackdrop: false });
  assert.ok(overlap(raw.mask.data) < 0.4, `IoU ${overlap(raw.mask.data).toFixed(3)} without the corrections`);
  assert.ok(overlap(corrected.mask.data) > 0.8, `IoU ${overlap(corrected.mask.data).toFixed(3)} with it`);
  assert.ok(corrected.coverage < raw.coverage / 2, 'the coverage is counted after the corrections');
});

test('segmentWithModel: where the finder sees no plain backdrop (a noisy texture), the mask is the network\'s', async () => {
  const w = 300, h = 200, data = new Uint8Array(w * h * 4).fill(255);
  let seed = 7;
  for (let i = 0; i < w * h; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data.fill(90 + (seed >>> 24) % 120, i * 4, i * 4 + 3);
  }
  const image = createRgba8(w, h, data);
  assert.throws(() => segmentOnPlainBackdrop(image), /plain backdrop/);
  const corrected = await segmentWithModel(image, fillingNetwork());
  const raw = await segmentWithModel(image, fillingNetwork(), { flatBackdrop: false });
  assert.deepEqual(corrected.mask.data, raw.mask.data);
});

test('the finder marks the backdrop as near it and the piece and its antialiased edge as not', () => {
  const { image, truth } = dropEarrings();
  const { nearBackdrop } = segmentOnPlainBackdrop(image);
  let backdropNear = 0, backdrop = 0, pieceNear = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i]) pieceNear += nearBackdrop[i];
    else { backdrop++; backdropNear += nearBackdrop[i]; }
  }
  assert.equal(pieceNear, 0);
  assert.ok(backdropNear > 0.99 * backdrop, `${backdropNear} of ${backdrop}`);
});

/** A 0/255 plane of the given size, 255 where `inside`. */
function plane(inside: (x: number, y: number) => boolean): Uint8Array {
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (inside(x, y)) out[y * W + x] = 255;
  return out;
}

test('a hole the mask encloses is filled where the finder sees the piece, kept where it sees backdrop', () => {
  const rim = (cx: number) => (x: number, y: number) => { const r = Math.hypot(x - cx, y - 60); return r >= 25 && r < 30; };
  const inside = (cx: number) => (x: number, y: number) => Math.hypot(x - cx, y - 60) < 30;
  // Left: a pearl (the finder sees its whole disc); right: a ring (the finder sees its band, not its hole).
  const mask = createMask(W, H, plane((x, y) => rim(50)(x, y) || rim(150)(x, y)));
  const finder = plane((x, y) => inside(50)(x, y) || rim(150)(x, y));
  const added = fillPieceHoles(mask, finder);
  assert.ok(added > 1500, `${added} pixels added`);
  assert.equal(at(mask, 50, 60), 255, 'the pearl\'s body');
  assert.equal(at(mask, 150, 60), 0, 'the ring\'s hole');
  assert.equal(at(mask, 100, 60), 0, 'the backdrop between them');
});

test('only what the mask closes round is a hole, and the finder must see the piece over most of it', () => {
  // A C-shaped rim (open on the right): nothing enclosed, nothing filled.
  const c = (x: number, y: number) => { const r = Math.hypot(x - 100, y - 60); return r >= 25 && r < 30 && x < 120; };
  const open = createMask(W, H, plane(c));
  assert.equal(fillPieceHoles(open, plane((x, y) => Math.hypot(x - 100, y - 60) < 30)), 0);
  // A closed rim whose inside the finder sees as piece on its left half only: under 90 %, so kept.
  const closed = createMask(W, H, plane((x, y) => { const r = Math.hypot(x - 100, y - 60); return r >= 25 && r < 30; }));
  assert.equal(fillPieceHoles(closed, plane((x, y) => Math.hypot(x - 100, y - 60) < 30 && x < 100)), 0);
  // A rim drawn at 60 in places encloses at 32, not at 128.
  const faint = createMask(W, H, plane((x, y) => { const r = Math.hypot(x - 100, y - 60); return r >= 25 && r < 30; }));
  for (let i = 0; i < faint.data.length; i++) if (faint.data[i] && i % W > 100) faint.data[i] = 60;
  const disc = plane((x, y) => Math.hypot(x - 100, y - 60) < 30);
  assert.equal(fillPieceHoles(faint, disc, 0.9, 128), 0);
  assert.ok(fillPieceHoles(faint, disc, 0.9, 32) > 1500);
});

test('segmentWithModel: a pearl whose rim alone the network sees comes out whole on white; without the fill, a ring', async () => {
  // A cream disc with a darker rim on white; the stand-in network sees only what is darker than cream.
  const w = 400, h = 300, data = new Uint8Array(w * h * 4).fill(255), truth = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const r = Math.hypot(x - 200, y - 150);
      if (r >= 60) continue;
      const i = (y * w + x) * 4;
      data.set(r > 55 ? [150, 140, 120] : [236, 226, 204], i);
      truth[y * w + x] = 1;
    }
  }
  const image = createRgba8(w, h, data);
  const rimOnly: MaskNetwork = {
    multiple: 32,
    async run(planes, width, height) {
      const n = width * height, logits = new Float32Array(2 * n).fill(-8);
      for (let i = 0; i < n; i++) if (planes[i] + planes[n + i] + planes[2 * n + i] < 2.4) logits[i] = 8;
      return { logits, family: new Float32Array(3) };
    },
  };
  const overlap = (mask: Uint8Array) => {
    let inter = 0, union = 0;
    for (let i = 0; i < truth.length; i++) { const p = mask[i] >= 128 ? 1 : 0; inter += p & truth[i]; union += p | truth[i]; }
    return inter / union;
  };
  const whole = await segmentWithModel(image, rimOnly);
  const ring = await segmentWithModel(image, rimOnly, { fillPieceHoles: false });
  assert.ok(overlap(ring.mask.data) < 0.3, `IoU ${overlap(ring.mask.data).toFixed(3)} without the fill`);
  assert.ok(overlap(whole.mask.data) > 0.95, `IoU ${overlap(whole.mask.data).toFixed(3)} with it`);
});

test('a photo longer than the finder\'s reading side is read shrunk, its maps brought back to its size', () => {
  const w = PLAIN_BACKDROP_SIDE * 2 + 100, h = 900, data = new Uint8Array(w * h * 4).fill(250);
  const bar = (x: number, y: number) => x >= 2000 && x < 2300 && y >= 300 && y < 600;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (bar(x, y)) data.fill(60, (y * w + x) * 4, (y * w + x) * 4 + 3);
  const reading = readPlainBackdrop(createRgba8(w, h, data));
  assert.ok(reading);
  assert.equal(reading.nearBackdrop.length, w * h);
  assert.equal(reading.pieceMask.length, w * h);
  assert.equal(reading.nearBackdrop[450 * w + 2150], 0, 'the bar is not backdrop');
  assert.equal(reading.pieceMask[450 * w + 2150], 255, 'the bar is the piece');
  assert.equal(reading.nearBackdrop[100 * w + 100], 1, 'far from it, backdrop');
  assert.equal(reading.pieceMask[100 * w + 100], 0);
  // Within a few of the photo's pixels (one pixel of the shrunk reading is 3 of them) the edge is where it is.
  assert.equal(reading.pieceMask[450 * w + 1994], 0);
  assert.equal(reading.pieceMask[450 * w + 2006], 255);
});

test('a busy photo gives no reading', () => {
  const w = 300, h = 200, data = new Uint8Array(w * h * 4);
  let seed = 3;
  for (let i = 0; i < w * h * 4; i++) { seed = (seed * 1103515245 + 12345) >>> 0; data[i] = i % 4 === 3 ? 255 : (seed >>> 24); }
  assert.equal(readPlainBackdrop(createRgba8(w, h, data)), null);
});
