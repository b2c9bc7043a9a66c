/**
 * Offline studio backdrops (provider "studio"): what a retoucher would build by hand when no generator is
 * configured. Pure pixels, no randomness, so the same photo always gets the same backdrop.
 */
import { createRgba8, type Rgba8Image } from '../image';

export type StudioBackdropKind = 'marketplace-white' | 'seamless-sweep' | 'gradient';

export const STUDIO_BACKDROP_KINDS: readonly StudioBackdropKind[] = ['marketplace-white', 'seamless-sweep', 'gradient'];

/** Marketplace main images want RGB 255 exactly (spec §B.8, §C): no off-white, no vignette. */
const MARKETPLACE_WHITE = 255;

/**
 * - marketplace-white: 255 everywhere.
 * - seamless-sweep: a paper sweep lit from the front: a light-grey wall darkening slightly towards the top,
 *   a smooth curved bend at 60 % of the height, a floor brightening towards the camera.
 * - gradient: a soft vertical studio gradient, light grey above to near white below.
 */
export function renderStudioBackdrop(kind: StudioBackdropKind, width: number, height: number): Rgba8Image {
  const out = createRgba8(width, height);
  const d = out.data;
  for (let y = 0; y < height; y++) {
    const v = height > 1 ? y / (height - 1) : 0;
    const level = Math.round(rowLevel(kind, v));
    for (let x = 0, i = 4 * y * width; x < width; x++, i += 4) {
      d[i] = level; d[i + 1] = level; d[i + 2] = level; d[i + 3] = 255;
    }
  }
  return out;
}

function rowLevel(kind: StudioBackdropKind, v: number): number {
  switch (kind) {
    case 'marketplace-white':
      return MARKETPLACE_WHITE;
    case 'gradient':
      return 214 + (246 - 214) * smoothstep(v);
    case 'seamless-sweep': {
      // Wall 222→236 down to the bend, floor 236→250 towards the camera; smoothstep keeps the bend seamless.
      const bend = 0.6;
      if (v <= bend) return 222 + 14 * smoothstep(v / bend);
      return 236 + 14 * smoothstep((v - bend) / (1 - bend));
    }
  }
}

function smoothstep(t: number): number {
  const c = Math.min(1, Math.max(0, t));
  return c * c * (3 - 2 * c);
}
