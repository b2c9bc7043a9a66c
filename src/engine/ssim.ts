/**
 * SSIM (Z. Wang, A. C. Bovik, H. R. Sheikh, E. P. Simoncelli, "Image quality assessment: from error
 * visibility to structural similarity", IEEE TIP 13(4), 2004) on single-channel planes.
 *
 * - Window: normalised Gaussian, σ = 1.5, 11×11 (radius 5), applied separably. This is the same
 *   window as scikit-image's `gaussian_weights=True` (scipy truncate 3.5 → radius int(3.5·1.5+0.5) = 5).
 * - Statistics: local means, population (1/N, window-weighted) variances and covariance.
 * - Constants: C1 = (K1·L)², C2 = (K2·L)², K1 = 0.01, K2 = 0.03, L = data range (default 255).
 * - SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2));
 *   cs    = (2σxy + C2) / (σx² + σy² + C2) (the contrast-structure term, used by MS-SSIM).
 *
 * Borders
 * - 'valid' (default): only positions where the whole 11×11 window lies inside the image, so the maps
 *   are (W−10)×(H−10) and map pixel (i, j) is image pixel (i+5, j+5). This is exactly what
 *   scikit-image averages (it filters with reflection and crops 5 px), and its mean on the skimage
 *   camera test pair is 0.3579642 (skimage 0.19.3), 0.357959 to the 3 decimals of the IPOL reference.
 * - 'same': W×H maps; the window is reflected at the borders (scipy 'reflect': …c b a | a b c…).
 *
 * Statistics are accumulated in float64, one output row at a time (a ring buffer of 11 horizontally
 * filtered rows), so memory is O(width) apart from the optional maps; a 24 MP pair is feasible.
 */

import type { Mask, RgbaImage } from './image';
import { gaussianKernel } from './gaussianBlur';

export type SsimBorder = 'valid' | 'same';

export interface SsimOptions {
  /** Data range L (default 255). */
  dataRange?: number;
  K1?: number;
  K2?: number;
  /** Gaussian σ of the window (default 1.5). */
  sigma?: number;
  /** Window radius (default 5, i.e. 11×11). */
  radius?: number;
  /** 'valid' (default) or 'same'; see the module notes. */
  border?: SsimBorder;
  /**
   * Weights for the means, full image size (width × height): a Mask (0..255) or a Float32Array of
   * non-negative weights. Each map position is weighted by the value at its window centre.
   */
  weights?: Mask | Float32Array;
  /** Return the SSIM and cs maps (default true). Set false on huge images to save memory. */
  maps?: boolean;
}

export interface SsimResult {
  /** Weighted (or plain) mean SSIM over the map. NaN when all weights are 0. */
  mssim: number;
  /** Weighted (or plain) mean of cs. */
  meanCs: number;
  /** Map size: (W−2r)×(H−2r) for 'valid', W×H for 'same'. */
  mapWidth: number;
  mapHeight: number;
  /** Image coordinate of map pixel (0, 0): r for 'valid', 0 for 'same'. */
  offset: number;
  ssimMap: Float32Array | null;
  csMap: Float32Array | null;
}

/** Luma coefficients: Rec. 601 (0.299, 0.587, 0.114) or Rec. 709 (0.2126, 0.7152, 0.0722). */
export type LumaStandard = '601' | '709';

/**
 * Luma Y′ of an RGBA image as a plane: a weighted sum of the gamma-encoded R′G′B′ codes (no
 * linearisation), in the image's own units (0..255 for 8-bit, 0..65535 for 16-bit; use that as the
 * SSIM data range). Default Rec. 601, as MATLAB's rgb2gray used with Wang's reference ssim.m.
 * Alpha is ignored.
 */
export function lumaPlane(image: RgbaImage, standard: LumaStandard = '601'): Float32Array {
  const [kr, kg, kb] = standard === '709' ? [0.2126, 0.7152, 0.0722] : [0.299, 0.587, 0.114];
  const n = image.width * image.height;
  const out = new Float32Array(n);
  const d = image.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) out[i] = kr * d[j] + kg * d[j + 1] + kb * d[j + 2];
  return out;
}

function reflect(i: number, n: number): number {
  // scipy 'reflect' (half-sample symmetric), repeated for windows wider than the image.
  const period = 2 * n;
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - 1 - j;
}

/** SSIM between two planes of the same size. */
export function ssim(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  width: number,
  height: number,
  options: SsimOptions = {},
): SsimResult {
  const n = width * height;
  if (x.length !== n || y.length !== n) throw new Error(`SSIM planes must both be ${width}×${height}`);
  const L = options.dataRange ?? 255;
  const C1 = ((options.K1 ?? 0.01) * L) ** 2;
  const C2 = ((options.K2 ?? 0.03) * L) ** 2;
  const sigma = options.sigma ?? 1.5;
  const r = options.radius ?? 5;
  const border = options.border ?? 'valid';
  const kernel = gaussianKernel(sigma, r);
  const win = 2 * r + 1;

  const valid = border === 'valid';
  const outW = valid ? width - 2 * r : width;
  const outH = valid ? height - 2 * r : height;
  if (outW < 1 || outH < 1) throw new Error(`image ${width}×${height} is smaller than the ${win}×${win} SSIM window`);
  const off = valid ? r : 0;

  let w: ArrayLike<number> | null = null;
  if (options.weights) {
    const wt = options.weights;
    w = wt instanceof Float32Array ? wt : wt.data;
    if (w.length !== n) throw new Error(`SSIM weights must be ${width}×${height}`);
  }
  const wantMaps = options.maps ?? true;
  const ssimMap = wantMaps ? new Float32Array(outW * outH) : null;
  const csMap = wantMaps ? new Float32Array(outW * outH) : null;

  // Padded input row (length outW + 2r) and its products.
  const padLen = outW + 2 * r;
  const px = new Float64Array(padLen), py = new Float64Array(padLen);
  const pxx = new Float64Array(padLen), pyy = new Float64Array(padLen), pxy = new Float64Array(padLen);
  // Ring of horizontally filtered rows: 5 quantities × win rows × outW.
  const ring = new Float64Array(5 * win * outW);
  const Q = win * outW; // stride between quantities
  const colIndex = new Int32Array(padLen);
  for (let j = 0; j < padLen; j++) colIndex[j] = valid ? j : reflect(j - r, width);

  const filterRow = (iy: number): void => {
    const row = iy * width;
    for (let j = 0; j < padLen; j++) {
      const a = x[row + colIndex[j]], b = y[row + colIndex[j]];
      px[j] = a; py[j] = b; pxx[j] = a * a; pyy[j] = b * b; pxy[j] = a * b;
    }
    const base = (iy % win) * outW;
    const k0 = kernel[r];
    for (let ox = 0; ox < outW; ox++) {
      const c = ox + r;
      let sx = k0 * px[c], sy = k0 * py[c], sxx = k0 * pxx[c], syy = k0 * pyy[c], sxy = k0 * pxy[c];
      for (let k = 1; k <= r; k++) {
        const wk = kernel[r + k], lo = c - k, hi = c + k;
        sx += wk * (px[lo] + px[hi]);
        sy += wk * (py[lo] + py[hi]);
        sxx += wk * (pxx[lo] + pxx[hi]);
        syy += wk * (pyy[lo] + pyy[hi]);
        sxy += wk * (pxy[lo] + pxy[hi]);
      }
      const o = base + ox;
      ring[o] = sx; ring[Q + o] = sy; ring[2 * Q + o] = sxx; ring[3 * Q + o] = syy; ring[4 * Q + o] = sxy;
    }
  };

  const ax = new Float64Array(outW), ay = new Float64Array(outW);
  const axx = new Float64Array(outW), ayy = new Float64Array(outW), axy = new Float64Array(outW);
  const rowBase = new Int32Array(win);
  let computed = -1; // last input row filtered
  let sumS = 0, sumCs = 0, sumW = 0;

  for (let oy = 0; oy < outH; oy++) {
    const need = valid ? oy + 2 * r : Math.min(height - 1, oy + r);
    while (computed < need) filterRow(++computed);
    for (let k = 0; k < win; k++) {
      const iy = valid ? oy + k : reflect(oy - r + k, height);
      rowBase[k] = (iy % win) * outW;
    }
    {
      const b = rowBase[r], k0 = kernel[r];
      for (let ox = 0; ox < outW; ox++) {
        const o = b + ox;
        ax[ox] = k0 * ring[o]; ay[ox] = k0 * ring[Q + o]; axx[ox] = k0 * ring[2 * Q + o];
        ayy[ox] = k0 * ring[3 * Q + o]; axy[ox] = k0 * ring[4 * Q + o];
      }
    }
    for (let k = 1; k <= r; k++) {
      const wk = kernel[r + k], lo = rowBase[r - k], hi = rowBase[r + k];
      for (let ox = 0; ox < outW; ox++) {
        const a = lo + ox, b = hi + ox;
        ax[ox] += wk * (ring[a] + ring[b]);
        ay[ox] += wk * (ring[Q + a] + ring[Q + b]);
        axx[ox] += wk * (ring[2 * Q + a] + ring[2 * Q + b]);
        ayy[ox] += wk * (ring[3 * Q + a] + ring[3 * Q + b]);
        axy[ox] += wk * (ring[4 * Q + a] + ring[4 * Q + b]);
      }
    }
    const mapRow = oy * outW;
    const wRow = (oy + off) * width + off;
    for (let ox = 0; ox < outW; ox++) {
      const mx = ax[ox], my = ay[ox];
      const vx = axx[ox] - mx * mx, vy = ayy[ox] - my * my, cxy = axy[ox] - mx * my;
      const cs = (2 * cxy + C2) / (vx + vy + C2);
      const s = ((2 * mx * my + C1) / (mx * mx + my * my + C1)) * cs;
      if (ssimMap) { ssimMap[mapRow + ox] = s; csMap![mapRow + ox] = cs; }
      if (w) {
        const wt = w[wRow + ox];
        if (wt > 0) { sumS += wt * s; sumCs += wt * cs; sumW += wt; }
      } else {
        sumS += s; sumCs += cs;
      }
    }
  }
  if (!w) sumW = outW * outH;

  return {
    mssim: sumW > 0 ? sumS / sumW : NaN,
    meanCs: sumW > 0 ? sumCs / sumW : NaN,
    mapWidth: outW,
    mapHeight: outH,
    offset: off,
    ssimMap,
    csMap,
  };
}
