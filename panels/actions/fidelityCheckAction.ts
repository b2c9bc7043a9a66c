/**
 * "Fidelity check" as a panel action: compares the photo with what the document shows now (src/engine/
 * fidelity) and lists each check with its verdict in plain words, for the use the image is meant for.
 * It writes nothing.
 */
import { judgeFidelity } from '../../src/engine/fidelity/judgeFidelity';
import { measureFidelity } from '../../src/engine/fidelity/measureFidelity';
import type { Tier } from '../../src/engine/fidelity/tiers';
import { throwIfCancelled, yieldToUi, type CheckReport, type CheckRequest } from '../host';
import { resolveJewelryMask } from './jewelryMask';

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
    async check(input, { signal, progress }): Promise<CheckReport> {
      progress(0, input.jewelryMask ? 'Using the jewelry mask' : 'Finding the piece');
      await yieldToUi();
      throwIfCancelled(signal);
      const jewelry = resolveJewelryMask({ ...input, image: input.original });
      progress(0.2, 'Comparing the result with the photo');
      await yieldToUi();
      throwIfCancelled(signal);
      const measures = measureFidelity(input.original, input.result, { jewelryMask: jewelry.mask });
      const verdict = judgeFidelity(measures, options.tier);
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
        details: [`Jewelry mask: ${jewelry.source}`, ...jewelry.warnings],
      };
    },
  };
}
