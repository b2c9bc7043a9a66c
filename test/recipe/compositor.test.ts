import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, createRgba8, createRgba16 } from '../../src/engine/image';
import { renderRecipe } from '../../src/recipe/compositor';
import { applyAdjustment } from '../../src/recipe/applyAdjustment';
import type { Recipe, RecipeLayer } from '../../src/recipe/recipe';

const W = 37, H = 23;
function noiseImage() {
  const d = new Uint8Array(W * H * 4);
  let s = 12345;
  for (let i = 0; i < d.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    d[i] = (i & 3) === 3 ? 255 : s >>> 24;
  }
  return createRgba8(W, H, d);
}
const curves = (name: string, extra: Partial<RecipeLayer> = {}): RecipeLayer => ({
  kind: 'adjustment', name, blendMode: 'normal', opacity: 1,
  adjustment: { type: 'curves', rgb: [{ input: 0, output: 0 }, { input: 90, output: 160 }, { input: 255, output: 255 }], blue: [{ input: 0, output: 30 }, { input: 255, output: 230 }] },
  ...extra,
} as RecipeLayer);
const recipe = (layers: RecipeLayer[]): Recipe => ({ groupName: 'test', width: W, height: H, layers });

test('pixels where the layer mask is 0 are byte-identical to the source', () => {
  const src = noiseImage();
  const mask = createMask(W, H);
  for (let i = 0; i < mask.data.length; i++) mask.data[i] = i % 3 === 0 ? 0 : i % 3 === 1 ? 255 : 100;
  const out = renderRecipe(src, recipe([curves('a', { mask }), curves('b', { mask, blendMode: 'soft light' }), { kind: 'adjustment', name: 'hs', blendMode: 'color', opacity: 0.7, mask, adjustment: { type: 'hue/saturation', hue: 40, saturation: 30, lightness: -10 } }]));
  let changed = 0;
  for (let p = 0; p < W * H; p++) {
    for (let c = 0; c < 4; c++) {
      if (mask.data[p] === 0) assert.equal(out.data[p * 4 + c], src.data[p * 4 + c]);
      else if (out.data[p * 4 + c] !== src.data[p * 4 + c]) changed++;
    }
  }
  assert.ok(changed > 0);
});

test('an unmasked normal curves layer at 100% equals the adjustment itself', () => {
  const src = noiseImage();
  const layer = curves('a');
  const out = renderRecipe(src, recipe([layer]));
  assert.deepEqual(out.data, applyAdjustment(src, (layer as Extract<RecipeLayer, { kind: 'adjustment' }>).adjustment).data);
});

test('opacity and mask mix the adjusted result with the backdrop, rounded to 8 bits', () => {
  const src = createRgba8(1, 1, new Uint8Array([100, 100, 100, 255]));
  const adj = { type: 'curves' as const, rgb: [{ input: 0, output: 55 }, { input: 255, output: 255 }] }; // 100 → 55 + 100·200/255
  const adjusted = Math.round(55 + (100 * 200) / 255); // 133
  const mask = createMask(1, 1, new Uint8Array([128]));
  const out = renderRecipe(src, { groupName: 'g', width: 1, height: 1, layers: [{ kind: 'adjustment', name: 'c', blendMode: 'normal', opacity: 0.5, mask, adjustment: adj }] });
  assert.equal(out.data[0], Math.round(100 + (adjusted - 100) * 0.5 * (128 / 255)));
  assert.equal(out.data[3], 255);
});

test('invisible layers are skipped, and a hidden base hides its clipped layers', () => {
  const src = noiseImage();
  const out = renderRecipe(src, recipe([curves('hidden', { visible: false }), curves('clipped', { clipping: true })]));
  assert.deepEqual(out.data, src.data);
});

test('a layer clipped to a masked adjustment layer is limited to that mask', () => {
  const src = noiseImage();
  const mask = createMask(W, H);
  for (let i = 0; i < mask.data.length; i++) mask.data[i] = i % 2 ? 255 : 0;
  const identityBase: RecipeLayer = { kind: 'adjustment', name: 'base', blendMode: 'normal', opacity: 1, mask, adjustment: { type: 'curves' } };
  const out = renderRecipe(src, recipe([identityBase, curves('clipped', { clipping: true })]));
  const full = renderRecipe(src, recipe([curves('alone')]));
  for (let p = 0; p < W * H; p++) {
    const ref = mask.data[p] ? full : src;
    for (let c = 0; c < 4; c++) assert.equal(out.data[p * 4 + c], ref.data[p * 4 + c]);
  }
});

test('a clipped adjustment changes only the base pixel layer, and the base opacity fades the whole group', () => {
  const src = createRgba8(2, 1, new Uint8Array([40, 40, 40, 255, 40, 40, 40, 255]));
  const layerPx = createRgba8(2, 1, new Uint8Array([200, 100, 50, 255, 200, 100, 50, 0]));
  const invert = { type: 'curves' as const, rgb: [{ input: 0, output: 255 }, { input: 255, output: 0 }] };
  const out = renderRecipe(src, { groupName: 'g', width: 2, height: 1, layers: [
    { kind: 'pixel', name: 'px', blendMode: 'normal', opacity: 0.5, image: layerPx },
    { kind: 'adjustment', name: 'inv', blendMode: 'normal', opacity: 1, clipping: true, adjustment: invert },
  ] });
  // Pixel 0: inverted layer (55,155,205) at 50% over 40. Pixel 1: transparent base → backdrop untouched.
  assert.deepEqual([...out.data.slice(0, 4)], [48, 98, 123, 255].map((v, i) => (i < 3 ? Math.round(40 + ([55, 155, 205][i] - 40) * 0.5) : v)));
  assert.deepEqual([...out.data.slice(4, 8)], [40, 40, 40, 255]);
});

test('a 16-bit source is composited in float and rounded once', () => {
  const src8 = noiseImage();
  const d16 = new Uint16Array(src8.data.length);
  for (let i = 0; i < d16.length; i++) d16[i] = src8.data[i] * 257;
  const layers = [curves('a', { opacity: 0.6 }), curves('b', { blendMode: 'multiply', opacity: 0.4 })];
  const out16 = renderRecipe(createRgba16(W, H, d16), recipe(layers));
  const out8 = renderRecipe(src8, recipe(layers));
  let max = 0;
  for (let i = 0; i < out8.data.length; i++) max = Math.max(max, Math.abs(out16.data[i] - out8.data[i]));
  assert.ok(max <= 2, `16-bit and 8-bit pipelines differ by ${max}`);
  assert.equal(out16.depth, 8);
});

test('progress is reported and ends at 1', () => {
  const seen: number[] = [];
  renderRecipe(noiseImage(), recipe([curves('a')]), { onProgress: (f) => seen.push(f) });
  assert.equal(seen[seen.length - 1], 1);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1]);
});

test('size mismatches are rejected', () => {
  assert.throws(() => renderRecipe(noiseImage(), { groupName: 'g', width: W + 1, height: H, layers: [] }), /same size/);
  assert.throws(() => renderRecipe(noiseImage(), recipe([curves('a', { mask: createMask(3, 3) })])), /same size/);
});

test('layers reaching different parts of the frame: same as compositing them one at a time, source kept elsewhere', () => {
  const src = noiseImage();
  const box = (x0: number, y0: number, x1: number, y1: number, v: number) => {
    const m = createMask(W, H);
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m.data[y * W + x] = v;
    return m;
  };
  // A pixel layer without a mask reaches where its own alpha is above 0.
  const pixels = createRgba8(W, H);
  for (let y = 15; y < 20; y++) for (let x = 3; x < 9; x++) pixels.data.set([200, 40, 90, 180], (y * W + x) * 4);
  const layers: RecipeLayer[] = [
    curves('left', { mask: box(1, 2, 10, 12, 255) }),
    curves('right', { mask: box(25, 5, 36, 20, 140), blendMode: 'overlay' }),
    { kind: 'pixel', name: 'spot', blendMode: 'multiply', opacity: 0.8, image: pixels },
    curves('thin', { mask: box(8, 9, 30, 10, 255), opacity: 0.5 }),
  ];
  const together = renderRecipe(src, recipe(layers));
  let oneByOne = src;
  for (const layer of layers) oneByOne = renderRecipe(oneByOne, recipe([layer]));
  assert.deepEqual(together.data, oneByOne.data);
  for (const [x, y] of [[0, 0], [20, 1], [36, 22], [12, 15]]) {
    const p = (y * W + x) * 4;
    assert.deepEqual([...together.data.subarray(p, p + 4)], [...src.data.subarray(p, p + 4)]);
  }
});

test('a 16-bit source outside every layer is its own value rounded to 8 bits', () => {
  const d = new Uint16Array(W * H * 4);
  for (let i = 0; i < d.length; i++) d[i] = (i * 7919) % 65536;
  const src = createRgba16(W, H, d);
  const mask = createMask(W, H);
  for (let y = 4; y < 8; y++) for (let x = 10; x < 20; x++) mask.data[y * W + x] = 255;
  const out = renderRecipe(src, recipe([curves('a', { mask })]));
  for (let p = 0; p < W * H; p++) {
    if (mask.data[p] !== 0) continue;
    for (let c = 0; c < 4; c++) assert.equal(out.data[p * 4 + c], Math.round(d[p * 4 + c] / 257));
  }
});
