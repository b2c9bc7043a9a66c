/**
 * The metals Loupe knows, with what each really looks like: its reflectance colour (F0) and the
 * acceptance windows of ../shared/specs/jewelry-retouching.md §A.3.
 *
 * A polished metal has no diffuse colour: its pixels are F0 × whatever it mirrors. Lightness follows the
 * studio, chromaticity follows F0. So targets are chromaticities (G/R, B/R in linear light; hue and
 * C*÷L* in Photoshop's Lab D50), never a single Lab point.
 */
import { srgbToLinear } from '../color';

export type MetalId = 'yellow-gold' | 'rose-gold' | 'white-gold' | 'silver' | 'platinum';
export type MetalFamily = 'yellow-gold' | 'rose-gold' | 'white-metal';

export interface MetalSpec {
  readonly id: MetalId;
  /** What a retoucher calls it in a layer name, e.g. "18K yellow gold". */
  readonly label: string;
  readonly family: MetalFamily;
  /** Reflectance at normal incidence, linear sRGB (spec §A.3 swatch, decoded). */
  readonly f0: readonly [number, number, number];
  /** Hue window in degrees (Lab D50, as Photoshop), or null when chroma is too small for hue to matter. */
  readonly hueWindow: readonly [number, number] | null;
  /** C*÷L* window (Lab D50). */
  readonly chromaPerLightness: readonly [number, number];
  /** b* window (Lab D50) for white metals, where hue is meaningless. */
  readonly bWindow?: readonly [number, number];
}

const fromSwatch = (r: number, g: number, b: number): [number, number, number] =>
  [srgbToLinear(r / 255), srgbToLinear(g / 255), srgbToLinear(b / 255)];

/** Spec §A.3. Alloy rows are the spec's provisional [P] values until ISO 8654 Table 1 is obtained. */
export const METALS: Readonly<Record<MetalId, MetalSpec>> = {
  'yellow-gold': {
    id: 'yellow-gold', label: '18K yellow gold', family: 'yellow-gold', f0: fromSwatch(247, 217, 172),
    hueWindow: [72, 84], chromaPerLightness: [0.22, 0.42],
  },
  'rose-gold': {
    id: 'rose-gold', label: '18K rose gold', family: 'rose-gold', f0: fromSwatch(241, 206, 179),
    hueWindow: [50, 68], chromaPerLightness: [0.2, 0.3],
  },
  'white-gold': {
    id: 'white-gold', label: 'White gold', family: 'white-metal', f0: fromSwatch(231, 226, 224),
    hueWindow: null, chromaPerLightness: [0, 0.1], bWindow: [-0.5, 8],
  },
  silver: {
    id: 'silver', label: 'Sterling silver', family: 'white-metal', f0: fromSwatch(248, 246, 242),
    hueWindow: null, chromaPerLightness: [0, 0.1], bWindow: [-0.5, 8],
  },
  platinum: {
    id: 'platinum', label: 'Platinum', family: 'white-metal', f0: fromSwatch(215, 209, 201),
    hueWindow: null, chromaPerLightness: [0, 0.1], bWindow: [-0.5, 8],
  },
};

export const METAL_IDS = Object.keys(METALS) as MetalId[];

export function isMetalId(value: string): value is MetalId {
  return (METAL_IDS as string[]).includes(value);
}

/** Target chromaticity of a metal as linear-light ratios G/R and B/R. */
export function targetRatios(metal: MetalSpec): { gr: number; br: number } {
  return { gr: metal.f0[1] / metal.f0[0], br: metal.f0[2] / metal.f0[0] };
}
