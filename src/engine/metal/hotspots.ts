/**
 * Blown hotspots on the metal (spec §B.3): large connected patches where the metal clipped. Small ones
 * are specular glints a retoucher keeps (they even push them to white); large ones read as "burnt" and get
 * rolled off with a soft knee and tinted with the metal's own colour — a gold reflection is gold, not grey.
 */
import { blurMaskWithin, contentBounds } from '../maskWindow';
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

export function findHotspots(image: RgbaImage, metalMask: Mask, jewelryMask: Mask): Hotspots {
  const { width, height } = image;
  const n = width * height;
  const data = image.data;
  const hot = image.depth === 8 ? 250 : 250 * 257, clip = image.depth === 8 ? 254 : 254 * 257;
  const m = metalMask.data, j = jewelryMask.data;
  let pieceArea = 0;
  for (let i = 0; i < n; i++) if (j[i] >= 128) pieceArea++;
  const minArea = Math.max(50, 0.0005 * pieceArea);

  // Connected components (8-connected) of hot metal pixels. A breadth-first queue doubles as the list of
  // the component's members; 2 in `state` marks visited.
  const state = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (m[i] < 128) continue;
    const p = i * 4;
    if (data[p] >= hot || data[p + 1] >= hot || data[p + 2] >= hot) state[i] = 1;
  }
  const queue = new Int32Array(n);
  const keep = new Uint8Array(n);
  let regions = 0, glints = 0;
  for (let s = 0; s < n; s++) {
    if (state[s] !== 1) continue;
    let head = 0, tail = 0;
    queue[tail++] = s;
    state[s] = 2;
    while (head < tail) {
      const i = queue[head++];
      const x = i % width, y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const k = yy * width + xx;
          if (state[k] === 1) { state[k] = 2; queue[tail++] = k; }
        }
      }
    }
    if (tail > minArea) {
      regions++;
      for (let q = 0; q < tail; q++) keep[queue[q]] = 1;
    } else glints++;
  }

  // Feather scaled to resolution: 3 px at 2000 px long side up to 8 px (spec §B.3).
  const feather = Math.min(8, Math.max(3, (3 * Math.max(width, height)) / 2000));
  const roll = new Uint8Array(n), core = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    roll[i] = 255;
    const p = i * 4;
    if (data[p] >= clip || data[p + 1] >= clip || data[p + 2] >= clip) core[i] = 255;
  }
  const win = contentBounds(createMask(width, height, roll), Math.ceil(4 * feather) + 2);
  const rollSoft = win ? blurMaskWithin(createMask(width, height, roll), feather, win).data : roll;
  const coreSoft = win ? blurMaskWithin(createMask(width, height, core), feather / 2, win).data : core;
  // Grow the roll-off zone by the feather (a blurred edge at 50% would cut the shoulder short), stay in the piece.
  for (let i = 0; i < n; i++) {
    rollSoft[i] = (Math.min(255, rollSoft[i] * 2) * j[i] + 127) / 255;
    coreSoft[i] = (coreSoft[i] * m[i] + 127) / 255;
  }
  return {
    regions,
    glintsKept: glints,
    rollOffMask: createMask(width, height, rollSoft),
    tintMask: createMask(width, height, coreSoft),
  };
}
