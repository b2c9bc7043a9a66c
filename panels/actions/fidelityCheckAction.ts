/**
 * "Fidelity check" as a panel action: compares the photo with what the document shows now (src/engine/
 * fidelity) and lists each check with its verdict in plain words, for the use the image is meant for.
 * It writes nothing; its report carries the heatmaps for "Show changes on the image" (fidelityOverlay.ts).
 * The piece is found as the actions find it (jewelryMask.ts): given, the mask model, else the plain backdrop.
 */
import { judgeFidelity } from '../../src/engine/fidelity/judgeFidelity';
import { measureFidelityWithModelFamily } from '../../src/engine/fidelity/measureWithModelFamily';
import type { Tier } from '../../src/engine/fidelity/tiers';
import { throwIfCancelled, yieldToUi, type CheckReport, type CheckRequest } from '../host';
import { fidelityOverlay } from './fidelityOverlay';
import { modelFamilyReader, resolveJewelryMaskWithModel } from './jewelryMask';

/** Where the host has no way to give stones (the browser harness): the command line does. */
const HOW_TO_GIVE_STONES = "this window takes none: run 'loupe fidelity --stones' on the exported files";

/** The alpha channel the Photoshop check reads the stones from: one the retoucher made or refined. */
export const CHECK_STONES_CHANNEL = 'Stones';

/** Said when the model found the piece: the check saves no channel, so there is none to refine. */
const MODEL_NOTE = "the piece was found by Loupe's mask model: if a check looks wrong, select the piece and check again";

export interface FidelityCheckOptions {
  readonly tier: Tier;
}

export const FIDELITY_DEFAULTS: FidelityCheckOptions = { tier: 'listing' };

export const TIER_CHOICES: readonly { readonly value: Tier; readonly label: string; readonly phrase: string }[] = [
  { value: 'listing', label: 'Marketplace listing', phrase: 'a marketplace listing' },
  { value: 'editorial', label: 'Editorial or print', phrase: 'editorial or print' },
  { value: 'social', label: 'Social media', phrase: 'social media' },
];

export function fidelityCheckRequest(options: FidelityCheckOptions): CheckRequest {
  const use = TIER_CHOICES.find((t) => t.value === options.tier)?.phrase ?? options.tier;
  return {
    name: 'Loupe: Fidelity check',
    stonesChannel: CHECK_STONES_CHANNEL,
    async check(input, { signal, progress }): Promise<CheckReport> {
      progress(0, input.jewelryMask ? 'Using the jewelry mask' : 'Finding the piece');
      await yieldToUi();
      throwIfCancelled(signal);
      const jewelry = await resolveJewelryMaskWithModel(
        { ...input, image: input.original }, signal, (f) => progress(0.6 * f, 'Finding the piece with the mask model'), MODEL_NOTE,
      );
      progress(0.6, 'Comparing the result with the photo');
      await yieldToUi();
      throwIfCancelled(signal);
      const measures = await measureFidelityWithModelFamily(input.original, input.result,
        { jewelryMask: jewelry.mask, stonesMask: input.stonesMask, modelFamily: jewelry.family },
        modelFamilyReader({ image: input.original, maskModel: input.maskModel }, signal, () => progress(0.65, 'Reading the metal with the mask model')));
      const verdict = judgeFidelity(measures, options.tier, { howToGiveStones: input.howToGiveStones ?? HOW_TO_GIVE_STONES });
      progress(1, 'Checked');
      const failed = verdict.checks.filter((c) => c.verdict === 'fail').length;
      const warned = verdict.checks.filter((c) => c.verdict === 'warn').length;
      const headline = verdict.verdict === 'pass'
        ? `Faithful for ${use}`
        : verdict.verdict === 'warn'
          ? `Faithful for ${use}, ${warned} point${warned === 1 ? '' : 's'} worth a look`
          : `Not faithful for ${use}: ${failed} check${failed === 1 ? '' : 's'} failed`;
      return {
        headline,
        verdict: verdict.verdict,
        items: verdict.checks.map((c) => ({ label: c.label, verdict: c.verdict, detail: c.detail })),
        details: [
          `Jewelry mask: ${jewelry.source}`,
          ...(input.stonesMask ? [`Stones: ${input.stonesMaskSource ?? 'the stones mask given'}`] : []),
          ...jewelry.warnings.map(capitalise),
        ],
        overlay: fidelityOverlay(measures, verdict),
      };
    },
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
