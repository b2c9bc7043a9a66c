/** "Sharpen" as a panel action: a High Pass layer in Overlay masked to the piece (src/engine/sharpen). */
import { planTargetedSharpen } from '../../src/engine/sharpen/targetedSharpen';
import { throwIfCancelled, yieldToUi, type ActionRequest, type PlannedAction } from '../host';
import { inPlainWords } from './contactShadowAction';
import { resolveJewelryMaskWithModel } from './jewelryMask';

export interface SharpenActionOptions {
  /** Overlay opacity, 0..1 (the spec's range is 50–80 %). */
  readonly strength: '0.5' | '0.7' | '0.8';
}

export const SHARPEN_DEFAULTS: SharpenActionOptions = { strength: '0.7' };

export const STRENGTH_CHOICES: readonly { readonly value: SharpenActionOptions['strength']; readonly label: string }[] = [
  { value: '0.5', label: 'Gentle (50 %)' },
  { value: '0.7', label: 'Standard (70 %)' },
  { value: '0.8', label: 'Crisp (80 %)' },
];

export function sharpenRequest(options: SharpenActionOptions): ActionRequest {
  return {
    historyName: 'Loupe: Sharpen',
    async plan(input, { signal, progress }): Promise<PlannedAction> {
      progress(0, input.jewelryMask ? 'Using the jewelry mask' : 'Finding the piece');
      await yieldToUi();
      throwIfCancelled(signal);
      const jewelry = await resolveJewelryMaskWithModel(input, signal, (f) => progress(0.4 * f, 'Finding the piece'));
      progress(0.4, 'Sharpening the piece');
      await yieldToUi();
      throwIfCancelled(signal);
      const plan = inPlainWords(() => planTargetedSharpen(input.image, jewelry.mask, { opacity: Number(options.strength) }));
      progress(1, 'Planned');
      return {
        recipe: plan.recipe,
        summary: {
          headline: `Sharpened the piece: High Pass ${plan.radiusPx.toFixed(1)} px`,
          details: [
            `Overlay at ${Math.round(100 * Number(options.strength))} %, masked to the piece; backdrop and skin untouched`,
            `Jewelry mask: ${jewelry.source}`,
            ...jewelry.warnings.map((w) => w.charAt(0).toUpperCase() + w.slice(1)),
            ...plan.notes.map((n) => n.charAt(0).toUpperCase() + n.slice(1)),
          ],
        },
      };
    },
  };
}
