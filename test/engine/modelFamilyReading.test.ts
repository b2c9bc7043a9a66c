/**
 * Retouch metal's auto-detection with the mask model's reading of the family: it settles white metal under a
 * warm light where no neutral backdrop can, and changes nothing where the backdrop or the retoucher decides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, createRgba8, type Mask, type Rgba8Image } from '../../src/engine/image';
import { linearToSrgb8 } from '../../src/engine/color';
import { METALS, type MetalId } from '../../src/engine/metal/metalCatalog';
import { planRetouchMetal } from '../../src/engine/metal/retouchMetal';
import { confidentFamily, MODEL_FAMILY_CONFIDENCE, type FamilyProbabilities } from '../../src/engine/metal/modelFamilyReading';
import { planRetouchMetalWithModelFamily } from '../../src/engine/metal/planWithModelFamily';
import { measureFidelityWithModelFamily } from '../../src/engine/fidelity/measureWithModelFamily';

const family = (yellow: number, rose: number, white: number): FamilyProbabilities => ({ 'yellow-gold': yellow, 'rose-gold': rose, 'white-metal': white });

/**
 * A polished band of `metal` under a coloured light, on a backdrop under the same light: skin (not neutral)
 * or a grey sweep (neutral, so it tells the light).
 */
function litBand(metal: MetalId, light: readonly number[], backdrop: 'skin' | 'grey'): { image: Rgba8Image; mask: Mask } {
  const w = 120, h = 80;
  const data = new Uint8Array(w * h * 4), m = new Uint8Array(w * h);
  const f0 = METALS[metal].f0;
  const surface = backdrop === 'skin' ? [0.45, 0.27, 0.17] : [0.35, 0.35, 0.35];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x, p = i * 4;
      let lin = surface;
      if (x >= 20 && x < 100 && y >= 20 && y < 60) {
        const env = 0.3 + 0.5 * (x - 20) / 80; // a gradient reflection
        lin = f0.map((c) => c * env);
        m[i] = 255;
      }
      for (let c = 0; c < 3; c++) data[p + c] = linearToSrgb8(lin[c] * light[c]);
      data[p + 3] = 255;
    }
  }
  return { image: createRgba8(w, h, data), mask: createMask(w, h, m) };
}

/** White gold under a warm (tungsten-like) light: its own colour reads as gold. */
const warmLitWhiteGold = (backdrop: 'skin' | 'grey') => litBand('white-gold', [1.25, 1.0, 0.62], backdrop);

test('only a near-sure reading of white metal or of gold counts', () => {
  assert.equal(confidentFamily(undefined), null);
  assert.deepEqual(confidentFamily(family(0.01, 0.01, 0.98)), { family: 'white-metal', probability: 0.98 });
  assert.equal(confidentFamily(family(0.05, 0.05, 0.9)), null, 'below the bar');
  // Yellow and rose together: the model is sure of gold even when it cannot say which.
  assert.equal(confidentFamily(family(0.5, 0.47, 0.03))?.family, 'gold');
  assert.ok(MODEL_FAMILY_CONFIDENCE > 0.85, 'the bar must stay above the most the model gave the wrong side (0.85)');
});

test('warm-lit white gold on skin: colour alone says gold, the model\'s sure reading makes it white gold', () => {
  const { image, mask } = warmLitWhiteGold('skin');
  const byColour = planRetouchMetal(image, { jewelryMask: mask });
  assert.equal(byColour.castSource, 'metal');
  assert.notEqual(byColour.metal.family, 'white-metal', 'the scene must fool the colour-only guess, or it tests nothing');

  const withModel = planRetouchMetal(image, { jewelryMask: mask, modelFamily: family(0.01, 0.01, 0.98) });
  assert.equal(withModel.metal.id, 'white-gold');
  assert.ok(withModel.autoDetected);
  assert.match(withModel.notes.join(' '), /mask model.*white metal \(98 % sure\)/);
  // A neutral white gold: the correction takes the warm light off (blue up against red).
  assert.ok(withModel.gains[2] / withModel.gains[0] > byColour.gains[2] / byColour.gains[0]);

  // Unsure: the colour decides, as before.
  assert.equal(planRetouchMetal(image, { jewelryMask: mask, modelFamily: family(0.3, 0.1, 0.6) }).metal.id, byColour.metal.id);
  // The retoucher's choice always wins.
  assert.equal(planRetouchMetal(image, { jewelryMask: mask, metal: 'yellow-gold', modelFamily: family(0.01, 0.01, 0.98) }).metal.id, 'yellow-gold');
});

test('on a neutral backdrop the backdrop decides and the model is not asked', async () => {
  const { image, mask } = warmLitWhiteGold('grey');
  let asked = 0;
  const reader = async () => { asked++; return family(0.98, 0.01, 0.01); };
  const plan = await planRetouchMetalWithModelFamily(image, { jewelryMask: mask }, reader);
  assert.equal(plan.castSource, 'backdrop');
  assert.equal(plan.metal.family, 'white-metal');
  assert.equal(asked, 0);
  // Even a reading that came with the mask is not used there.
  assert.equal(planRetouchMetal(image, { jewelryMask: mask, modelFamily: family(0.98, 0.01, 0.01) }).metal.family, 'white-metal');
});

test('the model is asked only when the colour alone would decide, and no reading leaves the colour\'s call', async () => {
  const { image, mask } = warmLitWhiteGold('skin');
  let asked = 0;
  const sure = async () => { asked++; return family(0.01, 0.01, 0.98); };
  assert.equal((await planRetouchMetalWithModelFamily(image, { jewelryMask: mask }, sure)).metal.id, 'white-gold');
  assert.equal(asked, 1);
  // Known already (it came with the model's mask): not asked again.
  await planRetouchMetalWithModelFamily(image, { jewelryMask: mask, modelFamily: family(0.01, 0.01, 0.98) }, sure);
  // A metal the retoucher chose: not asked.
  await planRetouchMetalWithModelFamily(image, { jewelryMask: mask, metal: 'platinum' }, sure);
  assert.equal(asked, 1);
  const byColour = planRetouchMetal(image, { jewelryMask: mask });
  assert.equal((await planRetouchMetalWithModelFamily(image, { jewelryMask: mask }, async () => null)).metal.id, byColour.metal.id);
  assert.equal((await planRetouchMetalWithModelFamily(image, { jewelryMask: mask }, null)).metal.id, byColour.metal.id);
});

test('the fidelity check recognises the metal as Retouch metal does: the model asked only where the colour alone decides', async () => {
  const { image, mask } = warmLitWhiteGold('skin');
  let asked = 0;
  const sure = async () => { asked++; return family(0.01, 0.01, 0.98); };
  const withModel = await measureFidelityWithModelFamily(image, image, { jewelryMask: mask }, sure);
  assert.equal(withModel.metal?.id, 'white-gold');
  assert.equal(asked, 1);
  const byColour = await measureFidelityWithModelFamily(image, image, { jewelryMask: mask }, null);
  assert.notEqual(byColour.metal?.family, 'white-metal');
  assert.equal((await measureFidelityWithModelFamily(image, image, { jewelryMask: mask, metal: 'silver' }, sure)).metal?.id, 'silver');
  const grey = warmLitWhiteGold('grey');
  await measureFidelityWithModelFamily(grey.image, grey.image, { jewelryMask: grey.mask }, sure);
  assert.equal(asked, 1, 'not asked for a given metal, nor where the neutral backdrop tells it');
});

test('a sure reading of gold where the colour alone says white metal (a cool light) makes it a gold, and says why', () => {
  // Yellow gold under a strongly bluish light on skin: colour alone says white gold.
  const { image, mask } = litBand('yellow-gold', [0.85, 1.045, 2.28], 'skin');
  const byColour = planRetouchMetal(image, { jewelryMask: mask });
  assert.equal(byColour.castSource, 'metal');
  assert.equal(byColour.metal.family, 'white-metal', 'the scene must fool the colour-only guess, or it tests nothing');
  const withModel = planRetouchMetal(image, { jewelryMask: mask, modelFamily: family(0.9, 0.08, 0.02) });
  assert.notEqual(withModel.metal.family, 'white-metal');
  assert.match(withModel.notes.join(' '), /reads gold \(98 % sure\) — a cool light makes gold look white/);
});
