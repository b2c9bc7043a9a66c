import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, createRgba8, type Mask, type Rgba8Image } from '../../src/engine/image';
import { linearToSrgb8 } from '../../src/engine/color';
import { planRetouchMetal } from '../../src/engine/metal/retouchMetal';
import { classifyMetal, isPlausibleMetal } from '../../src/engine/metal/estimateCast';
import { findHotspots, rollOff, KNEE, CEILING } from '../../src/engine/metal/hotspots';
import { METALS, targetRatios } from '../../src/engine/metal/metalCatalog';
import { renderRecipe } from '../../src/recipe/compositor';
import { evaluateSynth } from '../../scripts/eval-retouch-metal';

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** A gold band (left) on a neutral grey backdrop under a brassy cast, with a blue stone and blown patches. */
function castGoldScene(opts: { stone?: boolean; bigHotspot?: boolean; glint?: boolean } = {}): { image: Rgba8Image; mask: Mask; stone: Mask } {
  const w = 120, h = 80;
  const data = new Uint8Array(w * h * 4), m = new Uint8Array(w * h), s = new Uint8Array(w * h);
  const gains = [1.1, 1.06, 0.75]; // brassy: the backdrop shows it
  const f0 = METALS['yellow-gold'].f0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x, p = i * 4;
      let lin = [0.4, 0.4, 0.4];
      const inPiece = x >= 20 && x < 100 && y >= 20 && y < 60;
      if (inPiece) {
        const env = 0.25 + 0.6 * (x - 20) / 80; // a gradient reflection
        lin = f0.map((c) => c * env);
        m[i] = 255;
        if (opts.stone && x >= 30 && x < 45 && y >= 30 && y < 45) { lin = [0.05, 0.1, 0.5]; s[i] = 255; }
        if (opts.bigHotspot && x >= 70 && x < 90 && y >= 25 && y < 45) lin = [2, 2, 2];
        if (opts.glint && x >= 50 && x < 52 && y >= 50 && y < 52) lin = [2, 2, 2];
      }
      for (let c = 0; c < 3; c++) data[p + c] = linearToSrgb8(lin[c] * gains[c]);
      data[p + 3] = 255;
    }
  }
  return { image: createRgba8(w, h, data), mask: createMask(w, h, m), stone: createMask(w, h, s) };
}

test('synthetic renders: metal colour after Retouch metal is within ΔE00 2 of the neutral render (median), nothing outside the piece changes', async () => {
  for (const mode of ['given', 'auto'] as const) {
    const rows = await evaluateSynth(mode);
    assert.equal(rows.length, 24);
    const before = median(rows.map((r) => r.before)), after = median(rows.map((r) => r.after));
    assert.ok(after <= 2.0, `${mode}: median ΔE00 after ${after.toFixed(2)} (before ${before.toFixed(2)})`);
    assert.ok(after < before / 3, `${mode}: the cast must be mostly removed (${before.toFixed(2)} → ${after.toFixed(2)})`);
    assert.equal(rows.reduce((n, r) => n + r.outsideChanged, 0), 0, 'pixels outside the jewelry mask changed');
    if (mode === 'auto') {
      // The family, as a retoucher would name it (white gold, silver and platinum are told apart by no photo).
      const right = rows.filter((r) => r.detected.replace('-', '_') === r.metal || (!/gold/.test(r.metal) && r.detected === 'white-gold'));
      assert.ok(right.length >= 23, `auto named ${right.length} of 24 metals right`);
      // White gold under a warm light on skin: its colour alone reads rose gold; the mask model's reading fixes it.
      assert.equal(rows.find((r) => r.id === '017')?.detected, 'white-gold');
    }
  }
});

test('metal families from the spec swatches (§A.3 unit vectors)', () => {
  const ratios = (rgb: number[]) => { const l = rgb.map((v) => ((v / 255 + 0.055) / 1.055) ** 2.4); return [l[1] / l[0], l[2] / l[0]] as const; };
  assert.equal(classifyMetal(...ratios([247, 217, 172])).id, 'yellow-gold');
  assert.equal(classifyMetal(...ratios([203, 174, 127])).id, 'yellow-gold');
  assert.equal(classifyMetal(...ratios([241, 206, 179])).id, 'rose-gold');
  assert.equal(classifyMetal(...ratios([231, 226, 224])).family, 'white-metal');
  assert.equal(classifyMetal(...ratios([215, 209, 201])).family, 'white-metal');
  assert.ok(!isPlausibleMetal(...ratios([225, 230, 240])), 'a blue-cast white is no real metal');
  for (const spec of Object.values(METALS)) { const t = targetRatios(spec); assert.ok(isPlausibleMetal(t.gr, t.br), spec.id); }
});

test('a brassy cast on gold over a grey backdrop is measured on the backdrop and removed, with named layers', () => {
  const { image, mask } = castGoldScene();
  const plan = planRetouchMetal(image, { jewelryMask: mask });
  assert.equal(plan.metal.id, 'yellow-gold');
  assert.equal(plan.castSource, 'backdrop');
  // Gains undo 1.1/1.06/0.75 up to a common factor.
  assert.ok(Math.abs(plan.gains[1] / plan.gains[0] - 1.1 / 1.06) < 0.02, `G gain ${plan.gains}`);
  assert.ok(Math.abs(plan.gains[2] / plan.gains[0] - 1.1 / 0.75) < 0.03, `B gain ${plan.gains}`);
  assert.deepEqual(plan.recipe.layers.map((l) => l.name), ['Metal tone · 18K yellow gold']);
  assert.equal(plan.recipe.groupName, 'Loupe · Retouch metal');
  assert.equal(plan.recipe.selections?.[0].name, 'Jewelry');
});

test('stones stay untouched by default and are corrected with includeStones', () => {
  const { image, mask, stone } = castGoldScene({ stone: true });
  const maxStoneChange = (out: Rgba8Image) => {
    let d = 0;
    for (let i = 0; i < stone.data.length; i++) {
      if (stone.data[i] !== 255) continue;
      // interior only: a 1-px feather at the stone's rim is expected
      const x = i % 120, y = (i / 120) | 0;
      if (x < 32 || x > 42 || y < 32 || y > 42) continue;
      for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(out.data[i * 4 + c] - image.data[i * 4 + c]));
    }
    return d;
  };
  const kept = renderRecipe(image, planRetouchMetal(image, { jewelryMask: mask }).recipe);
  assert.ok(maxStoneChange(kept) <= 1, `stone changed by ${maxStoneChange(kept)}`);
  const included = renderRecipe(image, planRetouchMetal(image, { jewelryMask: mask, includeStones: true }).recipe);
  assert.ok(maxStoneChange(included) > 5, 'with includeStones the stone takes the correction');
  const exact = renderRecipe(image, planRetouchMetal(image, { jewelryMask: mask, stonesMask: stone }).recipe);
  assert.ok(maxStoneChange(exact) <= 1);
});

test('large blown patches are rolled off and tinted; small glints are kept', () => {
  const { image, mask } = castGoldScene({ bigHotspot: true, glint: true });
  const plan = planRetouchMetal(image, { jewelryMask: mask });
  assert.equal(plan.hotspotRegions, 1);
  assert.equal(plan.glintsKept, 1);
  assert.deepEqual(plan.recipe.layers.map((l) => l.name), ['Metal tone · 18K yellow gold', 'Hotspot roll-off', 'Hotspot tint · 18K yellow gold']);
  const out = renderRecipe(image, plan.recipe);
  const at = (x: number, y: number) => [...out.data.subarray((y * 120 + x) * 4, (y * 120 + x) * 4 + 3)];
  const core = at(80, 35);
  assert.ok(Math.max(...core) <= 243, `hotspot core rolled off: ${core}`);
  assert.ok(core[0] - core[2] >= 8, `hotspot core carries the gold's colour, not grey: ${core}`);
  assert.ok(Math.min(...at(50, 50)) >= 250, `small glint stays white: ${at(50, 50)}`);
});

test('hotspot roll-off curve: identity below the knee, strictly monotonic, ceiling at 255', () => {
  for (let v = 0; v <= KNEE; v++) assert.equal(rollOff(v), v);
  for (let v = KNEE; v < 255; v++) assert.ok(rollOff(v + 1) > rollOff(v), `not increasing at ${v}`);
  assert.ok(Math.abs(rollOff(255) - CEILING) < 1e-9);
  const slopeAtKnee = rollOff(KNEE + 0.001) - rollOff(KNEE);
  assert.ok(Math.abs(slopeAtKnee / 0.001 - 1) < 0.01, 'no kink at the knee');
});

test('hotspots: nothing found on an unclipped piece', () => {
  const { image, mask } = castGoldScene();
  assert.equal(findHotspots(image, mask, mask).regions, 0);
});

test('an empty mask is refused with advice', () => {
  const { image } = castGoldScene();
  assert.throws(() => planRetouchMetal(image, { jewelryMask: createMask(120, 80) }), /mask is empty.*Check the mask/);
});

test('a blown patch on a piece cut by the frame edge is still found, and stays inside the piece', () => {
  // The piece runs off the right and bottom edges, its blown patch touching the corner.
  const w = 90, h = 70;
  const data = new Uint8Array(w * h * 4), m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x, inPiece = x >= 30 && y >= 25;
      const v = inPiece ? (x >= 60 && y >= 45 ? 255 : 170) : 120;
      data.set([v, inPiece && v < 255 ? Math.round(v * 0.8) : v, inPiece && v < 255 ? Math.round(v * 0.45) : v, 255], i * 4);
      if (inPiece) m[i] = 255;
    }
  }
  const image = createRgba8(w, h, data), mask = createMask(w, h, m);
  const hot = findHotspots(image, mask, mask);
  assert.equal(hot.regions, 1);
  assert.equal(hot.rollOffMask.data[(h - 1) * w + w - 1], 255, 'the corner of the patch is rolled off');
  for (let i = 0; i < m.length; i++) if (m[i] === 0) assert.equal(hot.rollOffMask.data[i], 0, 'nothing outside the piece');
});
