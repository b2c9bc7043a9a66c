/** `loupe shadow`: a contact shadow (contact line + soft cast) as editable Multiply layers under the piece. */
import { planContactShadow } from '../engine/shadow/contactShadow';
import { runHelperCommand, type HelperSpec } from './helperCommand';

export const SHADOW_USAGE = 'loupe shadow <inputs…> [--mask PNG] [--light DEG] [--amazon-main] [--out DIR] [--json]';

const spec: HelperSpec = {
  command: 'shadow',
  usage: SHADOW_USAGE,
  options: { light: { type: 'string' }, 'amazon-main': { type: 'boolean', default: false } },
  validate(values) {
    if (values.light === undefined) return undefined;
    const deg = Number(values.light);
    return Number.isFinite(deg) ? undefined : `--light takes the angle the light comes from in degrees (90 = from above, 180 = from the left), not '${String(values.light)}'`;
  },
  plan({ image, mask, values }) {
    const plan = planContactShadow(image, mask, {
      lightAngleDeg: values.light === undefined ? undefined : Number(values.light),
      amazonMain: values['amazon-main'] === true,
    });
    return { recipe: plan.recipe, report: { light: { angleDeg: plan.lightAngleDeg, from: plan.lightFrom }, contact: plan.contact }, notes: plan.notes };
  },
};

export function runShadowCommand(argv: string[]): Promise<number> {
  return runHelperCommand(spec, argv);
}
