/** A small textured "ring on white" with its exact antialiased mask, for provider tests. */
import { createMask, createRgba8, type Mask, type Rgba8Image } from '../../../src/engine/image';
import { planContextBackground, pieceCoreDeviation } from '../../../src/engine/background/contextBackground';
import { renderRecipe } from '../../../src/recipe/compositor';

export function ringPhoto(width = 240, height = 160): { image: Rgba8Image; mask: Mask } {
  const px = new Uint8Array(width * height * 4);
  const m = new Uint8Array(width * height);
  const cx = width * 0.5, cy = height * 0.55, r0 = height * 0.2, r1 = height * 0.32;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = y * width + x;
    const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
    const cover = Math.min(1, Math.max(0, Math.min(d - r0 + 0.5, r1 - d + 0.5)));
    m[i] = Math.round(cover * 255);
    const gold = [180 + ((x * 13 + y * 7) % 60), 140 + ((x * 5) % 50), 40 + ((y * 11) % 40)];
    const back = [244 + (x % 3), 243 + (y % 4), 240];
    for (let c = 0; c < 3; c++) px[4 * i + c] = Math.round(gold[c] * cover + back[c] * (1 - cover));
    px[4 * i + 3] = 255;
  }
  return { image: createRgba8(width, height, px), mask: createMask(width, height, m) };
}

/** The generated image composited as the engine does; returns the worst code difference in the piece core. */
export function pieceDeviationAfter(image: Rgba8Image, mask: Mask, generated: Rgba8Image): number {
  const plan = planContextBackground(image, mask, generated);
  const result = renderRecipe(image, plan.recipe);
  const { maxDiff, corePixels } = pieceCoreDeviation(image, result, mask);
  if (corePixels < 100) throw new Error(`core too small: ${corePixels}`);
  return maxDiff;
}
