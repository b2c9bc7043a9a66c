/** "Retouch metal" as a panel action: options, plan (engine), and what to tell the retoucher afterwards. */
import { METALS, type MetalId } from '../../src/engine/metal/metalCatalog';
import { planRetouchMetalWithModelFamily } from '../../src/engine/metal/planWithModelFamily';
import { throwIfCancelled, yieldToUi, type ActionRequest, type PlannedAction } from '../host';
import { modelFamilyReader, resolveJewelryMaskWithModel } from './jewelryMask';

export interface RetouchMetalOptions {
  readonly metal: MetalId | 'auto';
  /** "Leave stones untouched" is the default: the tone layers are masked to the metal only. */
  readonly leaveStonesUntouched: boolean;
}

export const RETOUCH_METAL_DEFAULTS: RetouchMetalOptions = { metal: 'auto', leaveStonesUntouched: true };

/** Picker entries, in the order a retoucher reads them. */
export const METAL_CHOICES: readonly { readonly value: MetalId | 'auto'; readonly label: string }[] = [
  { value: 'auto', label: 'Detect automatically' },
  ...(Object.values(METALS).map((m) => ({ value: m.id, label: m.label }))),
];

export function retouchMetalRequest(options: RetouchMetalOptions): ActionRequest {
  return {
    historyName: 'Loupe: Retouch metal',
    async plan(input, { signal, progress }): Promise<PlannedAction> {
      progress(0, input.jewelryMask ? 'Using the jewelry mask' : 'Finding the piece');
      await yieldToUi();
      throwIfCancelled(signal);
      const jewelry = await resolveJewelryMaskWithModel(input, signal, (f) => progress(0.3 * f, 'Finding the piece'));
      progress(0.3, 'Measuring the metal and the cast');
      await yieldToUi();
      throwIfCancelled(signal);
      // The model's reading of the family settles white metal under a warm light where no neutral backdrop can.
      const plan = await planRetouchMetalWithModelFamily(input.image, {
        jewelryMask: jewelry.mask,
        metal: options.metal,
        includeStones: !options.leaveStonesUntouched,
        modelFamily: jewelry.family,
      }, modelFamilyReader(input, signal, () => progress(0.5, 'Reading the metal with the mask model')));
      progress(1, 'Planned');
      const details = [
        plan.castSource === 'backdrop' ? 'Cast measured on the neutral backdrop' : "Cast judged from the metal's own colour",
        plan.hotspotRegions > 0
          ? `${plan.hotspotRegions} blown patch${plan.hotspotRegions === 1 ? '' : 'es'} rolled off, ${plan.glintsKept} catchlight${plan.glintsKept === 1 ? '' : 's'} kept`
          : 'No blown patches to roll off',
        `Jewelry mask: ${jewelry.source}`,
        ...jewelry.warnings.map(capitalise),
        ...plan.notes.map(capitalise),
      ];
      return {
        recipe: plan.recipe,
        summary: {
          headline: plan.autoDetected ? `Detected ${plan.metal.label}` : `${plan.metal.label}, as you chose`,
          details,
        },
      };
    },
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
