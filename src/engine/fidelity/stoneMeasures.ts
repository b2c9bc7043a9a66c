/**
 * Stones and their settings (spec §D.6 stone count, §E.1, §E.2).
 *
 * Where the stones are comes from the stones mask: its connected regions, with a region several stones
 * large (pavé stones touching in the mask) split into that many stones by k-means on its pixels. Each
 * stone is then judged in the original and in the result: a stone that is still there keeps its facet
 * structure (local correlation) and its texture, and still stands out in colour from the metal holding
 * it; one painted out, melted or cloned over with that metal loses these. The count in the result is the
 * stones still there.
 *
 * Settings: the metal in a ring of 1–1.6 stone radii around each stone (prongs, bezels, beads) must keep
 * its structure (cs), or the prongs were smoothed away.
 */
import { srgb8ToLab } from '../color';
import { ciede2000 } from '../ciede2000';
import type { Rgba8Image } from '../image';
import type { FidelityFrame } from './fidelityFrame';
import { INSIDE } from './fidelityFrame';

export interface Stone {
  /** Crop coordinates of the centroid and equivalent radius (px). */
  readonly cx: number;
  readonly cy: number;
  readonly radius: number;
  /** Crop pixel indices. */
  readonly pixels: Int32Array;
}

export interface StoneVerdict {
  readonly stone: Stone;
  readonly cs: number;
  /** Luma standard deviation, result ÷ original. */
  readonly textureRatio: number;
  /** ΔE00 between the stone's mean colour and the metal ring's, in the original and in the result. */
  readonly contrastOriginal: number;
  readonly contrastResult: number;
  readonly present: boolean;
  /** Mean cs of the setting ring (NaN when the ring has no metal). */
  readonly settingCs: number;
}

export interface StoneMeasures {
  readonly countOriginal: number;
  readonly countResult: number;
  readonly stones: readonly StoneVerdict[];
  /** Lowest setting-ring cs over the stones, and the stone it belongs to. */
  readonly worstSettingCs: number;
  readonly worstSetting: StoneVerdict | null;
}

/** A stone counts as gone when its structure or its texture is mostly lost. */
const PRESENT_CS = 0.5;
const PRESENT_TEXTURE = 0.4;

/** Smaller regions of the stones mask are specks, never a countable stone. */
const MIN_STONE_PIXELS = 12;

export function findStones(stonesCrop: Uint8Array, w: number, h: number): Stone[] {
  const label = new Int32Array(w * h);
  const regions: Int32Array[] = [];
  const stack: number[] = [];
  for (let s = 0; s < label.length; s++) {
    if (stonesCrop[s] < INSIDE || label[s]) continue;
    const pix: number[] = [];
    label[s] = regions.length + 1;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop() as number;
      pix.push(i);
      const x = i % w, y = (i - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const j = yy * w + xx;
          if (stonesCrop[j] >= INSIDE && !label[j]) { label[j] = regions.length + 1; stack.push(j); }
        }
      }
    }
    regions.push(Int32Array.from(pix));
  }
  // The typical stone's area, from regions that could be stones at all: specks of a few pixels (a stones
  // mask drawn or predicted with ragged edges) would otherwise make it tiny and split one stone into hundreds.
  const candidates = regions.filter((r) => r.length >= MIN_STONE_PIXELS);
  if (candidates.length === 0) return [];
  const areas = candidates.map((r) => r.length).sort((a, b) => a - b);
  const typical = areas[areas.length >> 1];
  const stones: Stone[] = [];
  for (const region of candidates) {
    // Slivers (a stone almost hidden behind metal) are not countable stones.
    if (region.length < 0.25 * typical) continue;
    const k = Math.max(1, Math.round(region.length / typical));
    for (const part of k === 1 ? [region] : kMeansSplit(region, w, k)) stones.push(describe(part, w));
  }
  return stones;
}

function describe(pixels: Int32Array, w: number): Stone {
  let sx = 0, sy = 0;
  for (const i of pixels) { sx += i % w; sy += Math.floor(i / w); }
  return { cx: sx / pixels.length, cy: sy / pixels.length, radius: Math.sqrt(pixels.length / Math.PI), pixels };
}

/** Split one region's pixels into k spatial clusters (Lloyd's k-means, farthest-point seeding). */
function kMeansSplit(pixels: Int32Array, w: number, k: number): Int32Array[] {
  const n = pixels.length;
  const xs = new Float64Array(n), ys = new Float64Array(n);
  for (let i = 0; i < n; i++) { xs[i] = pixels[i] % w; ys[i] = Math.floor(pixels[i] / w); }
  const cx: number[] = [xs[0]], cy: number[] = [ys[0]];
  while (cx.length < k) {
    let far = 0, farD = -1;
    for (let i = 0; i < n; i++) {
      let d = Infinity;
      for (let c = 0; c < cx.length; c++) d = Math.min(d, (xs[i] - cx[c]) ** 2 + (ys[i] - cy[c]) ** 2);
      if (d > farD) { farD = d; far = i; }
    }
    cx.push(xs[far]); cy.push(ys[far]);
  }
  const assign = new Int32Array(n);
  for (let iter = 0; iter < 20; iter++) {
    for (let i = 0; i < n; i++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (xs[i] - cx[c]) ** 2 + (ys[i] - cy[c]) ** 2;
        if (d < bestD) { bestD = d; best = c; }
      }
      assign[i] = best;
    }
    const sx = new Float64Array(k), sy = new Float64Array(k), sn = new Float64Array(k);
    for (let i = 0; i < n; i++) { sx[assign[i]] += xs[i]; sy[assign[i]] += ys[i]; sn[assign[i]]++; }
    for (let c = 0; c < k; c++) if (sn[c]) { cx[c] = sx[c] / sn[c]; cy[c] = sy[c] / sn[c]; }
  }
  const parts: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) parts[assign[i]].push(pixels[i]);
  return parts.filter((p) => p.length > 0).map((p) => Int32Array.from(p));
}

export function measureStones(
  f: FidelityFrame, stonesCrop: Uint8Array, csMap: Float32Array, original: Rgba8Image, result: Rgba8Image,
): StoneMeasures {
  const { w, h, lumaOriginal: o, lumaResult: r, mask, win } = f;
  const W = original.width;
  const stones = findStones(stonesCrop, w, h);
  const verdicts: StoneVerdict[] = stones.map((stone) => {
    let cs = 0, so = 0, so2 = 0, sr = 0, sr2 = 0;
    const stoneO = [0, 0, 0], stoneR = [0, 0, 0], ringO = [0, 0, 0], ringR = [0, 0, 0];
    const add = (acc: number[], img: Rgba8Image, c: number) => {
      const p = ((win.y0 + Math.floor(c / w)) * W + win.x0 + (c % w)) * 4;
      for (let k = 0; k < 3; k++) acc[k] += img.data[p + k];
    };
    for (const i of stone.pixels) {
      cs += csMap[i];
      so += o[i]; so2 += o[i] * o[i]; sr += r[i]; sr2 += r[i] * r[i];
      add(stoneO, original, i); add(stoneR, result, i);
    }
    const n = stone.pixels.length;
    cs /= n;
    const stdO = Math.sqrt(Math.max(0, so2 / n - (so / n) ** 2));
    const stdR = Math.sqrt(Math.max(0, sr2 / n - (sr / n) ** 2));
    const textureRatio = stdR / Math.max(stdO, 1);
    // Setting ring: metal between 1 and 1.6 radii of the centre.
    let ring = 0, ringN = 0;
    const R0 = stone.radius, R1 = 1.6 * stone.radius;
    for (let y = Math.max(0, Math.floor(stone.cy - R1)); y <= Math.min(h - 1, Math.ceil(stone.cy + R1)); y++) {
      for (let x = Math.max(0, Math.floor(stone.cx - R1)); x <= Math.min(w - 1, Math.ceil(stone.cx + R1)); x++) {
        const d = Math.hypot(x - stone.cx, y - stone.cy);
        const i = y * w + x;
        if (d < R0 || d > R1 || mask[i] < INSIDE || stonesCrop[i] >= INSIDE) continue;
        ring += csMap[i]; ringN++;
        add(ringO, original, i); add(ringR, result, i);
      }
    }
    // A stone stands out from the metal holding it; one cloned over with that metal no longer does.
    const contrastO = ringN ? meanDeltaE(stoneO, n, ringO, ringN) : Number.NaN;
    const contrastR = ringN ? meanDeltaE(stoneR, n, ringR, ringN) : Number.NaN;
    // Only when the stone itself changed colour: a metal correction can bring the metal closer to an
    // untouched stone's colour.
    const stoneShift = meanDeltaE(stoneO, n, stoneR, n);
    const blended = contrastO >= 4 && contrastR < 0.5 * contrastO && stoneShift >= 3;
    return {
      stone, cs, textureRatio, contrastOriginal: contrastO, contrastResult: contrastR,
      present: cs >= PRESENT_CS && textureRatio >= PRESENT_TEXTURE && !blended,
      settingCs: ringN >= 4 ? ring / ringN : Number.NaN,
    };
  });
  let worst: StoneVerdict | null = null;
  for (const v of verdicts) if (Number.isFinite(v.settingCs) && (!worst || v.settingCs < worst.settingCs)) worst = v;
  return {
    countOriginal: verdicts.length,
    countResult: verdicts.filter((v) => v.present).length,
    stones: verdicts,
    worstSettingCs: worst ? worst.settingCs : Number.NaN,
    worstSetting: worst,
  };
}

function meanDeltaE(a: number[], na: number, b: number[], nb: number): number {
  const la = srgb8ToLab(a[0] / na, a[1] / na, a[2] / na, 'D65');
  const lb = srgb8ToLab(b[0] / nb, b[1] / nb, b[2] / nb, 'D65');
  return ciede2000(la[0], la[1], la[2], lb[0], lb[1], lb[2]);
}
