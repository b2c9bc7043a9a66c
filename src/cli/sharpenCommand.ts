/** `loupe sharpen`: a High Pass layer in Overlay, masked to the piece; skin and backdrop untouched. */
import { planTargetedSharpen } from '../engine/sharpen/targetedSharpen';
import { readMaskFile } from '../hosts/psd/readImageFile';
import { runHelperCommand, type HelperSpec } from './helperCommand';

export const SHARPEN_USAGE = 'loupe sharpen <inputs…> [--mask PNG] [--stones PNG] [--exclude-stones] [--out DIR] [--json]';

const spec: HelperSpec = {
  command: 'sharpen',
  usage: SHARPEN_USAGE,
  options: { stones: { type: 'string' }, 'exclude-stones': { type: 'boolean', default: false } },
  validate(values) {
    return values['exclude-stones'] && typeof values.stones !== 'string' ? '--exclude-stones needs the stones mask: add --stones stones.png (white = stones)' : undefined;
  },
  async plan({ image, mask, values }) {
    const stonesMask = typeof values.stones === 'string' ? await readMaskFile(values.stones, image.width, image.height) : undefined;
    const plan = planTargetedSharpen(image, mask, { stonesMask, excludeStones: values['exclude-stones'] === true });
    return { recipe: plan.recipe, report: { radiusPx: plan.radiusPx }, notes: plan.notes };
  },
};

export function runSharpenCommand(argv: string[]): Promise<number> {
  return runHelperCommand(spec, argv);
}
