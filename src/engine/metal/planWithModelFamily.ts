/**
 * Retouch metal's plan, with the mask model's reading of the metal family where it can matter: metal 'auto'
 * and no neutral backdrop in view, so that the metal's own colour would decide alone (a warm light makes
 * white gold look gold by colour; see modelFamilyReading.ts). The reading comes with the model's mask when
 * the model found the piece (`options.modelFamily`); for a mask the retoucher gave, the host reads it with
 * the model's whole-frame pass (`readFamily`: one inference), asked only when the colour alone would decide.
 */
import type { RgbaImage } from '../image';
import type { FamilyProbabilities } from './modelFamilyReading';
import { planRetouchMetal, type RetouchMetalOptions, type RetouchMetalPlan } from './retouchMetal';

/** `readFamily` null, or resolving to null (no model at hand): the colour alone decides. */
export async function planRetouchMetalWithModelFamily(
  image: RgbaImage,
  options: RetouchMetalOptions,
  readFamily: (() => Promise<FamilyProbabilities | null>) | null,
): Promise<RetouchMetalPlan> {
  const first = planRetouchMetal(image, options);
  if (options.modelFamily || !readFamily || (options.metal ?? 'auto') !== 'auto' || first.castSource !== 'metal') return first;
  const family = await readFamily();
  return family ? planRetouchMetal(image, { ...options, modelFamily: family }) : first;
}
