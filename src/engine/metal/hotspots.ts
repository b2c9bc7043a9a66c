/**
 * Blown hotspots on the metal (spec §B.3): large connected patches where the metal clipped. Small ones
 * are specular glints a retoucher keeps (they even push them to white); large ones read as "burnt" and get
 * rolled off with a soft knee and tinted with the metal's own colour — a gold reflection is gold, not grey.
 */
import { featherMask } from '../gaussianBlur';
import { contentBounds, growWindow, type PixelWindow } from '../maskWindow';
import { createMask, type Mask, type RgbaImage } from '../image';

export interface Hotspots {
  /** Large blown regions found (each above the area threshold). */
  readonly regions: number;
  /** Small glints left alone. */
  readonly glintsKept: number;
  /** Feathered mask of the regions' surroundings, for the roll-off curve (inside the piece only). */
  readonly rollOffMask: Mask;
  /** Feathered mask of the clipped cores, for the metal-colour tint. */
  readonly tintMask: Mask;
}

/** Spec §B.3: sRGB 230 knee, 240 ceiling (0.90–0.94 of full scale). */
export const KNEE = 230;
export const CEILING = 240;

/** Soft knee: identity up to the knee, then an exponential shoulder reaching the ceiling at 255. Strictly monotonic. */
export function rollOff(v: number): number {
  if (v <= KNEE) return v;
  const room = CEILING - KNEE, span = 255 - KNEE;
  // out = knee + room·(1 − e^{−k t}) / (1 − e^{−k}), t = (v − knee)/span; slope 1 at the knee needs k with
  // room·k/((1 − e^{−k})·span) = 1 — solved once below.
  const t = (v - KNEE) / span;
  return KNEE + (room * (1 - Math.exp(-SHOULDER_K * t))) / (1 - Math.exp(-SHOULDER_K));
}
const SHOULDER_K = solveShoulder((CEILING - KNEE) / (255 - KNEE));
function solveShoulder(ratio: number): number {
  // Find k > 0 with (1 − e^{−k})/k = ratio (slope continuity at the knee), by bisection.
  let lo = 1e-6, hi = 50;
  for (let i = 0; i < 100; i++) {
    const k = (lo + hi) / 2;
    if ((1 - Math.exp(-k)) / k > ratio) lo = k; else hi = k;
  }
  return (lo + hi) / 2;
}

/** `within`: a window holding the whole piece (default: the jewelry mask's content bounds). */
export function findHotspots(image: RgbaImage, metalMask: Mask, jewelryMask: Mask, within?: PixelWindow): Hotspots {
  const { width, height } = image;
  const data = image.data;
  const hot = image.depth === 8 ? 250 : 250 * 257, clip = image.depth === 8 ? 254 : 254 * 257;
  const m = metalMask.data, j = jewelryMask.data;
  const rollOffOut = new Uint8Array(width * height), tintOut = new Uint8Array(width * height);
  // Filled in place below; all zero when nothing is blown.
  const masks = { rollOffMask: createMask(width, height, rollOffOut), tintMask: createMask(width, height, tintOut) };
  const win = within ?? contentBounds(jewelryMask);
  if (!win) return { regions: 0, glintsKept: 0, ...masks };

  // Feather scaled to resolution: 3 px at 2000 px long side up to 8 px (spec §B.3).
  const feather = Math.min(8, Math.max(3, (3 * Math.max(width, height)) / 2000));
  // Everything below works on a crop around the piece, wide enough for the feather to fade out.
  const area = growWindow(win, Math.ceil(4 * feather) + 2, width, height);
  const aw = area.x1 - area.x0, ah = area.y1 - area.y0, an = aw * ah;
  const frameIndex = (k: number) => (area.y0 + ((k / aw) | 0)) * width + area.x0 + (k % aw);

  let pieceArea = 0;
  const state = new Uint8Array(an);
  for (let y = win.y0; y < win.y1; y++) {
    const crop = (y - area.y0) * aw - area.x0;
    for (let x = win.x0; x < win.x1; x++) {
      const i = y * width + x;
      if (j[i] >= 128) pieceArea++;
      if (m[i] < 128) continue;
      const p = i * 4;
      if (data[p] >= hot || data[p + 1] >= hot || data[p + 2] >= hot) state[crop + x] = 1;
    }
  }
  const minArea = Math.max(50, 0.0005 * pieceArea);

  // Connected components (8-connected) of hot metal pixels. A breadth-first queue doubles as the list of
  // the component's members; 2 in `state` marks visited. The crop's border ring is never hot (it lies
  // outside the piece's bounds), so neighbours need no bounds checks beyond the crop's.
  const queue = new Int32Array(an);
  const roll = new Uint8Array(an);
  let regions = 0, glints = 0;
  for (let s = 0; s < an; s++) {
    if (state[s] !== 1) continue;
    let head = 0, tail = 0;
    queue[tail++] = s;
    state[s] = 2;
    while (head < tail) {
      const k = queue[head++];
      const x = k % aw, y = (k - x) / aw;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= ah) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= aw) continue;
          const q = yy * aw + xx;
          if (state[q] === 1) { state[q] = 2; queue[tail++] = q; }
        }
      }
    }
    if (tail > minArea) {
      regions++;
      for (let q = 0; q < tail; q++) roll[queue[q]] = 255;
    } else glints++;
  }
  if (regions === 0) return { regions, glintsKept: glints, ...masks };

  const core = new Uint8Array(an);
  for (let k = 0; k < an; k++) {
    if (!roll[k]) continue;
    const p = frameIndex(k) * 4;
    if (data[p] >= clip || data[p + 1] >= clip || data[p + 2] >= clip) core[k] = 255;
  }
  // The jewelry within the crop: the feathers are only needed where they will be multiplied by it.
  const pieceCrop = new Uint8Array(an);
  for (let y = area.y0; y < area.y1; y++) pieceCrop.set(j.subarray(y * width + area.x0, y * width + area.x1), (y - area.y0) * aw);
  const only = createMask(aw, ah, pieceCrop);
  const rollSoft = featherMask(createMask(aw, ah, roll), feather, only).data;
  const coreSoft = featherMask(createMask(aw, ah, core), feather / 2, only).data;
  // Grow the roll-off zone by the feather (a blurred edge at 50% would cut the shoulder short), stay in the piece.
  for (let y = win.y0; y < win.y1; y++) {
    const crop = (y - area.y0) * aw - area.x0;
    for (let x = win.x0; x < win.x1; x++) {
      const i = y * width + x, k = crop + x;
      if (j[i] === 0 || (rollSoft[k] | coreSoft[k]) === 0) continue;
      rollOffOut[i] = (Math.min(255, rollSoft[k] * 2) * j[i] + 127) / 255;
      tintOut[i] = (coreSoft[k] * m[i] + 127) / 255;
    }
  }
  return { regions, glintsKept: glints, ...masks };
}
