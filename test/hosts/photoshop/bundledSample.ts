/**
 * The bundled sample ring at a quarter of its size, with its mask: a real ring on a plain backdrop, small
 * enough for the Photoshop host's tests to plan on quickly. Shared by those tests so they see the same pixels.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { LayerPixels } from './recordingPhotoshop.ts';

export const SAMPLE_WIDTH = 400;
export const SAMPLE_HEIGHT = 300;

const samples = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'samples');

export async function loadQuarterSizeSample(): Promise<{ pixels: LayerPixels; mask: Uint8Array }> {
  const [W, H] = [SAMPLE_WIDTH, SAMPLE_HEIGHT];
  const rgb = await sharp(join(samples, 'ring-yellow-gold-warm-cast.png')).resize(W, H).removeAlpha().raw().toBuffer();
  const mask = await sharp(join(samples, 'ring-yellow-gold-warm-cast.mask.png')).resize(W, H).greyscale().raw().toBuffer();
  return {
    pixels: { data: new Uint8Array(rgb), bounds: { left: 0, top: 0, right: W, bottom: H }, components: 3 },
    mask: new Uint8Array(mask),
  };
}
