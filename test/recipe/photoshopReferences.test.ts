/**
 * Renders Photoshop-made PSDs (evaldata) with the compositor and compares with Photoshop's composite.
 * Tolerances: curves, clipping and blend modes are expected to match Photoshop's 8-bit pipeline to
 * ±1 code value except a handful of rounding ties (max 2; 3 for overlay on antialiased edges, where
 * semi-transparent colours are un-premultiplied); Hue/Saturation is an approximation of Photoshop's
 * unpublished maths (mean ≈ 1.2, worst on near-grey pixels pushed to +100 saturation).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { loadPsdCase, diffImages } from './psdFixtures';
import { renderRecipe } from '../../src/recipe/compositor';

const ROOT = '/work/shared/evaldata/psd/';
const cases: { file: string; max: number; mean: number }[] = [
  { file: 'adjustments/curves_rgb.psd', max: 1, mean: 0.05 },
  { file: 'adjustments/adjustment_backdrop_test.psd', max: 1, mean: 0.05 },
  { file: 'adjustments/adjustment_clipping.psd', max: 1, mean: 0.05 },
  { file: 'adjustments/huesaturation_rgb.psd', max: 70, mean: 1.5 },
  { file: 'blend-modes/normal.psd', max: 2, mean: 0.1 },
  { file: 'blend-modes/multiply.psd', max: 2, mean: 0.1 },
  { file: 'blend-modes/screen.psd', max: 2, mean: 0.1 },
  { file: 'blend-modes/overlay.psd', max: 3, mean: 0.1 },
  { file: 'blend-modes/soft-light.psd', max: 2, mean: 0.25 },
  { file: 'blend-modes/pass-through.psd', max: 2, mean: 0.1 },
];

const available = existsSync(ROOT);

for (const c of cases) {
  test(`Photoshop reference ${c.file} (max ≤ ${c.max}, mean ≤ ${c.mean})`, { skip: available ? false : 'evaldata not present' }, async (t) => {
    const psd = await loadPsdCase(ROOT + c.file);
    assert.equal(psd.skip, undefined, psd.skip);
    const out = renderRecipe(psd.source, psd.recipe);
    const d = diffImages(out, psd.expected, psd.compare);
    t.diagnostic(`${c.file}: ${d.compared} px compared, max ${d.max}, mean ${d.mean.toFixed(4)}, >1: ${(d.over1 * 100).toFixed(2)}%, alpha max ${d.alphaMax}` +
      (psd.unsupported.length ? `; excluded: ${psd.unsupported.join('; ')}` : ''));
    assert.ok(d.compared > 1000, 'too few pixels compared');
    assert.ok(d.max <= c.max, `max error ${d.max}`);
    assert.ok(d.mean <= c.mean, `mean error ${d.mean}`);
    assert.ok(d.alphaMax <= 1, `alpha error ${d.alphaMax}`);
  });
}

test('Photoshop reference huesaturation_saturation_rgb.psd — skipped: every layer uses per-colour-range settings (the Recipe holds master only)', { skip: 'per-range Hue/Saturation is outside the Recipe' }, () => {});
test('Photoshop reference adjustment_nested_composition_1.psd — skipped: exposure layer and a normal/divide/hard-mix group (not in the Recipe)', { skip: 'exposure and isolated groups are outside the Recipe' }, () => {});
test('Photoshop references levels_rgb / exposure_rgb / brightnesscontrast_rgb — skipped: levels, exposure, brightness/contrast are outside the Recipe', { skip: 'adjustment types outside the Recipe' }, () => {});
