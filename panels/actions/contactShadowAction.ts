/** "Contact shadow" as a panel action: the piece sits on its surface (src/engine/shadow), as Multiply layers. */
import { planContactShadow } from '../../src/engine/shadow/contactShadow';
import { PieceError } from '../../src/engine/shadow/pieceChecks';
import { throwIfCancelled, yieldToUi, type ActionRequest, type PlannedAction } from '../host';
import { resolveJewelryMaskWithModel } from './jewelryMask';

export type LightChoice = 'auto' | '0' | '45' | '90' | '135' | '180';

export interface ContactShadowActionOptions {
  /** Where the light comes from (Photoshop's Drop Shadow angle), or found from the piece's highlights. */
  readonly light: LightChoice;
  /** Amazon's main image allows no shadow: the layers are written hidden, ready for the alternates. */
  readonly amazonMain: boolean;
}

export const CONTACT_SHADOW_DEFAULTS: ContactShadowActionOptions = { light: 'auto', amazonMain: false };

export const LIGHT_CHOICES: readonly { readonly value: LightChoice; readonly label: string }[] = [
  { value: 'auto', label: 'From the highlights' },
  { value: '135', label: 'Upper left' },
  { value: '90', label: 'Above' },
  { value: '45', label: 'Upper right' },
  { value: '180', label: 'Left' },
  { value: '0', label: 'Right' },
];

export function contactShadowRequest(options: ContactShadowActionOptions): ActionRequest {
  return {
    historyName: 'Loupe: Contact shadow',
    async plan(input, { signal, progress }): Promise<PlannedAction> {
      progress(0, input.jewelryMask ? 'Using the jewelry mask' : 'Finding the piece');
      await yieldToUi();
      throwIfCancelled(signal);
      const jewelry = await resolveJewelryMaskWithModel(input, signal, (f) => progress(0.4 * f, 'Finding the piece'));
      progress(0.4, 'Casting the shadow');
      await yieldToUi();
      throwIfCancelled(signal);
      const plan = inPlainWords(() => planContactShadow(input.image, jewelry.mask, {
        lightAngleDeg: options.light === 'auto' ? undefined : Number(options.light),
        amazonMain: options.amazonMain,
      }));
      progress(1, 'Planned');
      const from = plan.lightFrom === 'given' ? 'as you chose' : plan.lightFrom === 'highlights' ? "read from the piece's highlights" : 'assumed from above';
      return {
        recipe: plan.recipe,
        summary: {
          headline: options.amazonMain ? 'Contact shadow written hidden (Amazon main image)' : 'Contact shadow added',
          details: [
            `Light at ${Math.round(plan.lightAngleDeg)}°, ${from}`,
            `Jewelry mask: ${jewelry.source}`,
            ...jewelry.warnings.map(capitalise),
            // The engine's notes name command-line flags; the panel has its own controls for them.
            ...plan.notes.map((n) => capitalise(n.replace(/ \(set it with --light\)/, ' (choose it under Light)'))),
          ],
        },
      };
    },
  };
}

/** The engine's refusals are already sentences saying what to do; they only need a capital letter. */
export function inPlainWords<T>(plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    if (error instanceof PieceError) throw new Error(capitalise(error.message) + '.');
    throw error;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
