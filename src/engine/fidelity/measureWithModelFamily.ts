/**
 * The fidelity measures, with the metal recognised as Retouch metal recognises it: where no neutral backdrop
 * tells the metal, the mask model's near-sure reading of white metal or gold counts (metal/modelFamilyReading.ts).
 * Otherwise a white gold retouched under a warm light would be judged against the gold its colour suggested.
 * The reading comes with the model's mask (`inputs.modelFamily`), or `readFamily` gets it from the model's
 * whole-frame pass, asked only when the metal's own colour would decide.
 */
import type { Rgba8Image } from '../image';
import type { FamilyProbabilities } from '../metal/modelFamilyReading';
import { measureFidelity, recogniseMetal, type FidelityInputs, type FidelityMeasures } from './measureFidelity';

export async function measureFidelityWithModelFamily(
  original: Rgba8Image,
  result: Rgba8Image,
  inputs: FidelityInputs,
  readFamily: (() => Promise<FamilyProbabilities | null>) | null,
): Promise<FidelityMeasures> {
  const recognised = recogniseMetal(original, inputs);
  if (!inputs.modelFamily && readFamily && recognised.byOwnColour) {
    const family = await readFamily();
    if (family) {
      const withFamily = { ...inputs, modelFamily: family };
      return measureFidelity(original, result, withFamily, recogniseMetal(original, withFamily));
    }
  }
  // The metal is recognised once: measureFidelity takes it as found here.
  return measureFidelity(original, result, inputs, recognised);
}
