/**
 * Structure of the piece, original vs result, on luma inside the eroded piece mask:
 * - SSIM (spec §D.1), and structure: the local correlation s of the original (through the result's own
 *   tone curves) with the result — blind to intended tone and contrast edits, so it is the retouch gate;
 *   its map is the overlay's structure heatmap;
 * - sharpness ratio (spec §D.4): variance of the Laplacian, result ÷ the original passed through the
 *   result's own tone curve, so a Curves edit reads 1.0 and only blur or sharpening move it;
 * - halo (spec §D.6, §B.5): how far the result overshoots the local range of the original (and of its
 *   tone-mapped self) at edges — the bright/dark rims over-sharpening leaves;
 * - alignment: the shift that best lines the result up with the original (a moved piece is a different
 *   photo, even when every pixel is "sharp" and "right-coloured").
 */
import { ssim } from '../ssim';
import { localCorrelation } from './localCorrelation';
import { meanOf, percentileOf, type FidelityFrame } from './fidelityFrame';
import type { RegionCurves } from './channelToneMap';
import type { Rgba8Image } from '../image';

export interface StructureMeasures {
  /** Plain SSIM, original vs result (spec §D.1), and the largest luma change in the eroded piece. */
  readonly ssimMean: number;
  readonly maxLumaDelta: number;
  /** SSIM's contrast-structure term cs (spec §D.1), original vs result. */
  readonly ssimCsMean: number;
  /**
   * Structure s (local correlation, see localCorrelation.ts) against the tone-mapped original: mean and
   * 1st percentile over the eroded piece. `csMap` holds it per pixel; every structure check reads it.
   */
  readonly csMean: number;
  readonly csP1: number;
  /** Crop-size maps (same as the frame): plain SSIM, and structure s against the tone-mapped original. */
  readonly ssimMap: Float32Array;
  readonly csMap: Float32Array;
  /** Worst tile: mean cs of the tile (≥ half piece) with the lowest mean, and where it is (crop coords). */
  readonly worstTileCs: number;
  readonly worstTile: { x: number; y: number; size: number };
  /** VarLap(result) ÷ VarLap(tone-mapped original) over the eroded piece. */
  readonly sharpnessRatio: number;
  /** 99th percentile overshoot (code values) at edges of the piece, and the crop box holding the worst. */
  readonly haloP99: number;
  readonly haloBox: { x: number; y: number; width: number; height: number } | null;
  /** Best-fit translation result→original, px, and its length. */
  readonly shiftX: number;
  readonly shiftY: number;
  readonly shift: number;
  /** Original luma mapped by the result's tone curve (the "what a pure tone edit would give" plane). */
  readonly toneMapped: Float32Array;
  /** The SSIM and structure maps were computed on a frame downscaled this many times (1 = full size). */
  readonly analysisScale: number;
}

/** Above this many frame pixels the SSIM/structure maps are computed on a box-downscaled frame. */
const FULL_SIZE_MAPS_UP_TO = 2_500_000;

/**
 * SSIM and structure maps. A 24 MP frame's piece can span 10 MP; its structure at half size still shows
 * every prong and stone (and SSIM is a multi-scale idea anyway, spec §D.2), so big frames are measured
 * on a k× box-downscaled copy and the maps brought back to full size (nearest). Halos, sharpness and
 * alignment stay at full size: they live in the finest pixels.
 */
function structureMaps(f: FidelityFrame, toneMapped: Float32Array, unclipped: Uint8Array) {
  const { w, h, lumaOriginal: o, lumaResult: r, core } = f;
  const k = Math.max(1, Math.ceil(Math.sqrt((w * h) / FULL_SIZE_MAPS_UP_TO)));
  const sw = Math.ceil(w / k), sh = Math.ceil(h / k);
  const down = (p: ArrayLike<number>) => {
    if (k === 1) return Float32Array.from(p);
    const out = new Float32Array(sw * sh), n = new Float32Array(sw * sh);
    for (let y = 0; y < h; y++) {
      const row = Math.floor(y / k) * sw;
      for (let x = 0; x < w; x++) { const j = row + Math.floor(x / k); out[j] += p[y * w + x]; n[j]++; }
    }
    for (let j = 0; j < out.length; j++) out[j] /= n[j];
    return out;
  };
  const weights = down(core);
  const clipWeights = down(unclipped);
  const bits = new Uint8Array(clipWeights.length);
  for (let j = 0; j < bits.length; j++) bits[j] = clipWeights[j] >= 0.5 ? 1 : 0;
  const so = down(o), sr = down(r);
  const raw = ssim(so, sr, sw, sh, { border: 'same', weights });
  const corr = localCorrelation(down(toneMapped), sr, sw, sh, bits);
  const up = (p: Float32Array) => {
    if (k === 1) return p;
    const out = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      const row = Math.floor(y / k) * sw;
      for (let x = 0; x < w; x++) out[y * w + x] = p[row + Math.floor(x / k)];
    }
    return out;
  };
  return { ssimMap: up(raw.ssimMap as Float32Array), ssimMean: raw.mssim, ssimCsMean: raw.meanCs, csMap: up(corr), scale: k };
}

/**
 * `toneMapped`: the original's luma after the result's own tone curves (channelToneMap): structure is
 * compared against it, so intended Curves work reads as "structure kept".
 */
export function measureStructure(f: FidelityFrame, toneMapped: Float32Array, unclipped: Uint8Array, tileSize: number): StructureMeasures {
  const { w, h, lumaOriginal: o, lumaResult: r, core } = f;
  const { ssimMap, ssimMean, ssimCsMean, csMap, scale } = structureMaps(f, toneMapped, unclipped);
  // Mean and 1st percentile of s over the eroded piece (histogram: s lies in [−1, 1]).
  const csHist = new Float64Array(2001);
  let csSum = 0, csN = 0, maxDelta = 0;
  for (let i = 0; i < core.length; i++) {
    if (!core[i]) continue;
    const v = csMap[i];
    csSum += v; csN++;
    csHist[Math.max(0, Math.min(2000, Math.round((v + 1) * 1000)))]++;
    // Pixels kept: only where the piece fully covers the pixel (a partly covered one mixes in the backdrop).
    const d = f.mask[i] === 255 ? Math.abs(o[i] - r[i]) : 0;
    if (d > maxDelta) maxDelta = d;
  }

  const tile = worstTile(csMap, core, w, h, tileSize);
  // Highlights are the hotspot tools' territory (a roll-off lowers their contrast on purpose, spec §B.3).
  const midtones = new Uint8Array(core.length);
  for (let i = w; i < core.length - w; i++) {
    midtones[i] = core[i] && Math.max(o[i], o[i - 1], o[i + 1], o[i - w], o[i + w]) < 230 ? 1 : 0;
  }
  const sharpnessRatio = laplacianVariance(r, midtones, w, h) / laplacianVariance(toneMapped, midtones, w, h);
  const halo = measureHalo(f, toneMapped);
  const shift = estimateShift(o, r, core, w, h);
  return {
    ssimMean, maxLumaDelta: maxDelta, csMean: csN ? csSum / csN : Number.NaN, ssimCsMean, analysisScale: scale, csP1: histogramPercentile(csHist, 1) / 1000 - 1, ssimMap, csMap,
    worstTileCs: tile.cs, worstTile: { x: tile.x, y: tile.y, size: tileSize },
    sharpnessRatio, haloP99: halo.p99, haloBox: halo.box,
    shiftX: shift.dx, shiftY: shift.dy, shift: Math.hypot(shift.dx, shift.dy), toneMapped,
  };
}

/** Tiles of `size` px (stepping by half a tile) with at least half their area in the eroded piece. */
function worstTile(map: Float32Array, core: Uint8Array, w: number, h: number, size: number): { cs: number; x: number; y: number } {
  const step = Math.max(1, size >> 1);
  let best = { cs: 1, x: 0, y: 0 };
  for (let ty = 0; ty + size <= h || (ty === 0 && size > h); ty += step) {
    for (let tx = 0; tx + size <= w || (tx === 0 && size > w); tx += step) {
      let sum = 0, n = 0;
      for (let y = ty; y < Math.min(h, ty + size); y++) {
        for (let x = tx, i = y * w + tx; x < Math.min(w, tx + size); x++, i++) if (core[i]) { sum += map[i]; n++; }
      }
      if (n < 0.5 * size * size) continue;
      const m = sum / n;
      if (m < best.cs) best = { cs: m, x: tx, y: ty };
    }
  }
  return best;
}

function laplacianVariance(p: Float32Array, core: Uint8Array, w: number, h: number): number {
  let s = 0, s2 = 0, n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1, i = y * w + 1; x < w - 1; x++, i++) {
      if (!core[i]) continue;
      const l = p[i - 1] + p[i + 1] + p[i - w] + p[i + w] - 4 * p[i];
      s += l; s2 += l * l; n++;
    }
  }
  if (n === 0) return Number.NaN;
  const mean = s / n;
  return s2 / n - mean * mean;
}

/**
 * Overshoot at edges: pixels of the piece whose 5×5 neighbourhood spans ≥ 24
 * codes in the original; the result beyond that neighbourhood's range (of the original and of its
 * tone-mapped self, whichever is wider) is a halo.
 */
function measureHalo(f: FidelityFrame, toneMapped: Float32Array): { p99: number; box: StructureMeasures['haloBox'] } {
  const { w, h, lumaOriginal: o, lumaResult: r, mask } = f;
  const R = 2;
  const hist = new Float64Array(2561); // overshoot in 0.1 code steps
  let worst = 0, wx = 0, wy = 0;
  for (let y = R; y < h - R; y++) {
    for (let x = R; x < w - R; x++) {
      const i = y * w + x;
      if (mask[i] < 128) continue; // halos on the piece; the backdrop side is the background tools' business
      let lo = Infinity, hi = -Infinity, olo = Infinity, ohi = -Infinity;
      for (let dy = -R; dy <= R; dy++) {
        for (let dx = -R, j = i + dy * w - R; dx <= R; dx++, j++) {
          const a = o[j], b = toneMapped[j];
          if (a < olo) olo = a;
          if (a > ohi) ohi = a;
          const l = a < b ? a : b, u = a > b ? a : b;
          if (l < lo) lo = l;
          if (u > hi) hi = u;
        }
      }
      if (ohi - olo < 24) continue;
      const v = r[i];
      const over = v > hi ? v - hi : v < lo ? lo - v : 0;
      hist[Math.min(2560, Math.round(over * 10))]++;
      if (over > worst) { worst = over; wx = x; wy = y; }
    }
  }
  const p99 = histogramPercentile(hist, 99) / 10;
  const box = worst > 0 ? { x: Math.max(0, wx - 16), y: Math.max(0, wy - 16), width: Math.min(32, w - Math.max(0, wx - 16)), height: Math.min(32, h - Math.max(0, wy - 16)) } : null;
  return { p99, box };
}

/**
 * Translation (result relative to the original) by normalised cross-correlation of luma gradients on
 * the piece's strongest edges, integer search ±4 px, refined to sub-pixel with a parabola per axis.
 * Gradients, zero-meaned per offset, make a tone edit irrelevant.
 */
function estimateShift(o: Float32Array, r: Float32Array, core: Uint8Array, w: number, h: number): { dx: number; dy: number } {
  const S = 4;
  const grad = (p: Float32Array, i: number) => Math.abs(p[i + 1] - p[i - 1]) + Math.abs(p[i + w] - p[i - w]);
  const candidates: number[] = [];
  const mags: number[] = [];
  for (let y = S + 1; y < h - S - 1; y++) {
    for (let x = S + 1, i = y * w + x; x < w - S - 1; x++, i++) {
      if (!core[i]) continue;
      const g = grad(o, i);
      if (g > 8) { candidates.push(i); mags.push(g); }
    }
  }
  if (candidates.length < 50) return { dx: 0, dy: 0 };
  const cut = percentileOf(mags, 70);
  const picked = candidates.filter((_, k) => mags[k] >= cut);
  const stride = Math.max(1, Math.floor(picked.length / 20_000));
  const sample = picked.filter((_, k) => k % stride === 0);
  const a = sample.map((i) => grad(o, i));
  const meanA = meanOf(a);
  let normA = 0;
  for (const v of a) normA += (v - meanA) ** 2;
  const score = (dx: number, dy: number) => {
    const b = sample.map((i) => grad(r, i + dy * w + dx));
    const meanB = meanOf(b);
    let num = 0, normB = 0;
    for (let k = 0; k < a.length; k++) { num += (a[k] - meanA) * (b[k] - meanB); normB += (b[k] - meanB) ** 2; }
    return num / Math.sqrt(normA * normB + 1e-12);
  };
  const grid = new Float64Array((2 * S + 1) ** 2);
  let best = -Infinity, bx = 0, by = 0;
  for (let dy = -S; dy <= S; dy++) {
    for (let dx = -S; dx <= S; dx++) {
      const v = score(dx, dy);
      grid[(dy + S) * (2 * S + 1) + dx + S] = v;
      if (v > best) { best = v; bx = dx; by = dy; }
    }
  }
  const at = (dx: number, dy: number) => grid[(dy + S) * (2 * S + 1) + dx + S];
  const refine = (m: number, c: number, p: number) => {
    const d = m - 2 * c + p;
    return d < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (m - p)) / d)) : 0;
  };
  const fx = Math.abs(bx) < S ? refine(at(bx - 1, by), best, at(bx + 1, by)) : 0;
  const fy = Math.abs(by) < S ? refine(at(bx, by - 1), best, at(bx, by + 1)) : 0;
  return { dx: bx + fx, dy: by + fy };
}

/** Luma of the original passed through per-channel curves, cropped to the frame. */
export function toneMappedLuma(f: FidelityFrame, original: Rgba8Image, curves: RegionCurves): Float32Array {
  const { w, h, win } = f;
  const out = new Float32Array(w * h);
  const d = original.data;
  const metal = curves.metalMask?.data;
  const [mr, mg, mb] = curves.metal, [or, og, ob] = curves.other;
  for (let y = 0; y < h; y++) {
    const row = (win.y0 + y) * original.width + win.x0;
    for (let x = 0, o = y * w; x < w; x++, o++) {
      const p = (row + x) * 4;
      out[o] = metal && metal[row + x] >= 128
        ? 0.299 * mr[d[p]] + 0.587 * mg[d[p + 1]] + 0.114 * mb[d[p + 2]]
        : 0.299 * or[d[p]] + 0.587 * og[d[p + 1]] + 0.114 * ob[d[p + 2]];
    }
  }
  return out;
}

/** 1 where the original carries structure (no channel ≥ 250), cropped to the frame. */
export function unclippedWeights(f: FidelityFrame, original: Rgba8Image): Uint8Array {
  const { w, h, win } = f;
  const out = new Uint8Array(w * h);
  const d = original.data;
  for (let y = 0; y < h; y++) {
    let p = ((win.y0 + y) * original.width + win.x0) * 4;
    for (let x = 0, o = y * w; x < w; x++, o++, p += 4) out[o] = Math.max(d[p], d[p + 1], d[p + 2]) >= 250 ? 0 : 1;
  }
  return out;
}

/** Bin index at the p-th percentile (0..100) of a histogram; 0 when empty. */
function histogramPercentile(hist: Float64Array, p: number): number {
  let total = 0;
  for (const v of hist) total += v;
  if (total === 0) return 0;
  const target = (p / 100) * total;
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i];
    if (acc >= target) return i;
  }
  return hist.length - 1;
}
