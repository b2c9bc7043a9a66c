/**
 * Automatic jewelry mask for product shots on a plain backdrop (white, light grey, a smooth sweep).
 *
 * Used when the retoucher gives no mask. No learned model: the backdrop is modelled as a smooth,
 * low-order polynomial surface per channel (fitted robustly on a downscaled copy, first on the frame
 * border, then refined on every pixel that looks like backdrop), and the jewelry is whatever departs
 * from that surface by colour or lightness, except soft shadows (darker, same chromaticity as the
 * backdrop, smooth). Holes that look like backdrop (inside a ring, between chain links) stay outside;
 * small enclosed specks (near-white hotspots on silver) and enclosed smooth grey metal are filled.
 *
 * When the backdrop is not plain (a scene, skin, texture) or nothing is found, it throws an Error that
 * says so and asks for a mask, never a silent full-frame or empty mask.
 *
 * Pure TypeScript, no host or node imports.
 */

import { createMask, type Mask, type RgbaImage } from '../image';
import { labelComponents } from './connectedComponents';

export interface PlainBackdropOptions {
  /** Longest side of the downscaled copy used to fit the backdrop model (default 512). */
  readonly workingSize?: number;
  /** Lowest colour distance from the backdrop, in 8-bit levels, that can count as jewelry (default 10). Raised automatically with noise. */
  readonly threshold?: number;
  /** Treat soft shadows as backdrop (default true). */
  readonly excludeShadows?: boolean;
  /** Darkest a shadow can be, as a fraction of the backdrop's lightness (default 0.4). Darker achromatic pixels count as jewelry. */
  readonly shadowFloor?: number;
  /** Antialias the mask edge with a 1-px feather (default true). */
  readonly feather?: boolean;
}

export interface PlainBackdropResult {
  readonly mask: Mask;
  readonly backdrop: {
    /** Mean backdrop colour, 8-bit sRGB. */
    readonly rgb: [number, number, number];
    /** 0..1: share of the frame border explained by the smooth backdrop model, reduced by its noise. */
    readonly uniformity: number;
  };
  /** 0..1: how much to trust the mask. */
  readonly confidence: number;
  readonly warnings: string[];
  /**
   * 1 where the pixel lies within a few levels of the backdrop model (NEAR_BACKDROP_LEVELS, or 2σ of its
   * noise): backdrop for certain, unless it is a blown highlight as white as the backdrop. Finer than the mask,
   * which calls backdrop whatever is within the jewelry threshold (≥ 10 levels), white metal mirroring a white
   * sweep included. Used to clear the model's mask where the photo is plainly backdrop (plainBackdropCorrections.ts).
   */
  readonly nearBackdrop: Uint8Array;
}

/** See PlainBackdropResult.nearBackdrop. */
export const NEAR_BACKDROP_LEVELS = 5;

const NEEDS_MASK = 'pass a mask with --mask (or select the jewelry in Photoshop) instead';

/** Error thrown when the image is unsuitable; `reason` tells which check failed. */
export class PlainBackdropError extends Error {
  readonly reason: 'not-plain' | 'nothing-found' | 'fills-frame';
  constructor(reason: 'not-plain' | 'nothing-found' | 'fills-frame', message: string) {
    super(message);
    this.name = 'PlainBackdropError';
    this.reason = reason;
  }
}

export function segmentOnPlainBackdrop(image: RgbaImage, options: PlainBackdropOptions = {}): PlainBackdropResult {
  const { width: W, height: H } = image;
  const N = W * H;
  const workingSize = Math.max(64, Math.floor(options.workingSize ?? 512));
  const baseThreshold = options.threshold ?? 10;
  const excludeShadows = options.excludeShadows ?? true;
  const shadowFloor = options.shadowFloor ?? 0.4;
  const warnings: string[] = [];
  const scale = image.depth === 8 ? 1 : 1 / 257;
  const src = image.data;

  if (Math.min(W, H) < 16) throw new PlainBackdropError('not-plain', `the image is only ${W}×${H}: too small to find a backdrop; ${NEEDS_MASK}`);

  // ---- 1. downscaled copy (box average) -------------------------------------------------------
  const f = Math.max(1, Math.ceil(Math.max(W, H) / workingSize));
  const w = Math.ceil(W / f);
  const h = Math.ceil(H / f);
  const small = new Float32Array(w * h * 3);
  {
    const cnt = new Float32Array(w * h);
    for (let y = 0; y < H; y++) {
      const row = ((y / f) | 0) * w;
      for (let x = 0; x < W; x++) {
        const j = row + ((x / f) | 0);
        const i = (y * W + x) * 4;
        small[j * 3] += src[i];
        small[j * 3 + 1] += src[i + 1];
        small[j * 3 + 2] += src[i + 2];
        cnt[j]++;
      }
    }
    for (let j = 0; j < w * h; j++) {
      const k = scale / cnt[j];
      small[j * 3] *= k;
      small[j * 3 + 1] *= k;
      small[j * 3 + 2] *= k;
    }
  }

  // ---- 2. robust backdrop model from the border --------------------------------------------------
  const band = Math.max(2, Math.round(0.03 * Math.min(w, h)));
  const borderIdx: number[] = [];
  const bStride = Math.max(1, Math.round(Math.sqrt((2 * band * (w + h)) / 8000)));
  for (let y = 0; y < h; y += y < band || y >= h - band ? bStride : 1) {
    for (let x = 0; x < w; x += bStride) {
      if (x < band || y < band || x >= w - band || y >= h - band) borderIdx.push(y * w + x);
    }
  }
  const nx = (x: number) => (2 * x + 1) / w - 1; // pixel centre → [-1, 1]
  const ny = (y: number) => (2 * y + 1) / h - 1;

  let model = fitSurface(small, w, borderIdx, 2, nx, ny);
  let inlierTol = 0;
  let sigma = 0;
  for (let iter = 0; iter < 4; iter++) {
    const res = borderIdx.map((j) => residualMax(small, j, model, nx(j % w), ny((j / w) | 0)));
    sigma = Math.max(0.5, 1.4826 * median(res));
    inlierTol = Math.max(6, 3.5 * sigma);
    const keep = borderIdx.filter((_, n) => res[n] <= inlierTol);
    if (keep.length < 16) break;
    model = fitSurface(small, w, keep, 2, nx, ny);
  }
  // per-side inlier shares and overall
  const sides = [0, 0, 0, 0];
  const sideIn = [0, 0, 0, 0];
  let borderIn = 0;
  for (const j of borderIdx) {
    const x = j % w;
    const y = (j / w) | 0;
    const ok = residualMax(small, j, model, nx(x), ny(y)) <= inlierTol;
    if (ok) borderIn++;
    const dmin = Math.min(y, h - 1 - y, x, w - 1 - x);
    const s = dmin === y ? 0 : dmin === h - 1 - y ? 1 : dmin === x ? 2 : 3;
    sides[s]++;
    if (ok) sideIn[s]++;
  }
  const borderShare = borderIn / borderIdx.length;
  const worstSide = Math.min(...sides.map((n, s) => (n ? sideIn[s] / n : 1)));

  // ---- 3. refine on every backdrop-looking pixel (cubic surface) -----------------------------------
  const stride = Math.max(1, Math.round(Math.sqrt((w * h) / 20000)));
  for (let iter = 0; iter < 3; iter++) {
    const tol = Math.max(6, 3.5 * sigma);
    const keep: number[] = [];
    const res: number[] = [];
    for (let y = 0; y < h; y += stride) {
      for (let x = 0; x < w; x += stride) {
        const j = y * w + x;
        const r = residualMax(small, j, model, nx(x), ny(y));
        if (r <= tol) {
          keep.push(j);
          res.push(r);
        }
      }
    }
    if (keep.length < 64) break;
    model = fitSurface(small, w, keep, 3, nx, ny);
    sigma = Math.max(0.5, 1.4826 * median(res) * 1.2);
  }
  const backdropShare = (() => {
    let n = 0;
    let tot = 0;
    const tol = Math.max(6, 3.5 * sigma);
    for (let y = 0; y < h; y += stride) {
      for (let x = 0; x < w; x += stride) {
        tot++;
        if (residualMax(small, y * w + x, model, nx(x), ny(y)) <= tol) n++;
      }
    }
    return n / tot;
  })();

  // texture of the backdrop at working scale: mean abs Laplacian over backdrop-like border pixels
  let texture = 0;
  {
    const vals: number[] = [];
    for (const j of borderIdx) {
      const x = j % w;
      const y = (j / w) | 0;
      if (x < 1 || y < 1 || x >= w - 1 || y >= h - 1) continue;
      let m = 0;
      for (let c = 0; c < 3; c++) {
        const v = 4 * small[j * 3 + c] - small[(j - 1) * 3 + c] - small[(j + 1) * 3 + c] - small[(j - w) * 3 + c] - small[(j + w) * 3 + c];
        m = Math.max(m, Math.abs(v));
      }
      vals.push(m);
    }
    texture = vals.length ? median(vals) : 0;
  }

  const meanRgb = modelMean(model);
  const uniformity = clamp01(borderShare * Math.exp(-Math.max(0, sigma - 2) / 6) * Math.exp(-Math.max(0, texture - 2) / 8));

  if (borderShare < 0.6 || worstSide < 0.35 || sigma > 9 || texture > 12 || uniformity < 0.35) {
    const why: string[] = [];
    if (borderShare < 0.6 || worstSide < 0.35) why.push(`only ${Math.round(100 * (borderShare < 0.6 ? borderShare : worstSide))}% of the ${borderShare < 0.6 ? 'frame border' : 'worst frame edge'} matches one smooth backdrop`);
    if (sigma > 9 || texture > 12) why.push('the backdrop is textured or noisy');
    if (!why.length) why.push('the backdrop is not uniform');
    throw new PlainBackdropError('not-plain', `automatic jewelry mask needs a plain backdrop (white, grey or a smooth sweep), but ${why.join(' and ')}; ${NEEDS_MASK}`);
  }
  if (backdropShare < 0.3) {
    throw new PlainBackdropError('fills-frame', `automatic jewelry mask found the backdrop in only ${Math.round(100 * backdropShare)}% of the image (the subject or a scene fills the frame); ${NEEDS_MASK}`);
  }

  // ---- 4. full-resolution noise estimate ----------------------------------------------------------
  const rowModel = new Float64Array(3 * 4); // per row: cubic in x for each channel
  const evalRow = (y: number) => rowPolys(model, ny((y + 0.5) / f - 0.5), rowModel);
  {
    const samples: number[] = [];
    const sStride = Math.max(1, Math.floor(Math.sqrt(N / 40000)));
    const tol = Math.max(6, 3.5 * sigma);
    for (let y = 0; y < H; y += sStride) {
      evalRow(y);
      for (let x = 0; x < W; x += sStride) {
        const u = nx((x + 0.5) / f - 0.5);
        const i = (y * W + x) * 4;
        let d = 0;
        for (let c = 0; c < 3; c++) {
          const m = horner(rowModel, c, u);
          d = Math.max(d, Math.abs(src[i + c] * scale - m));
        }
        if (d <= tol * 1.5) samples.push(d);
      }
    }
    if (samples.length > 32) sigma = Math.max(sigma, 1.4826 * median(samples) / 1.2);
  }
  const tLow = Math.max(baseThreshold, 3.5 * sigma);
  const tChroma = Math.max(baseThreshold * 1.6, 3 * sigma);
  const gStep = Math.max(1, Math.round(Math.max(W, H) / 1200));
  const tGrad = Math.max(14, 5 * sigma) * Math.sqrt(gStep);

  // ---- 5. full-resolution classification (one pass) -------------------------------------------------
  // cls: 0 = backdrop, 1 = jewelry, 2 = differs from backdrop but shadow-like (darker, same chromaticity, smooth)
  const lum = new Uint16Array(N);
  for (let p = 0, i = 0; p < N; p++, i += 4) lum[p] = Math.round((src[i] + src[i + 1] + src[i + 2]) * scale);
  const cls = new Uint8Array(N);
  const nearBackdrop = new Uint8Array(N);
  const tNear = Math.max(NEAR_BACKDROP_LEVELS, 2 * sigma);
  let shadowCount = 0;
  for (let y = 0; y < H; y++) {
    evalRow(y);
    const y0 = Math.max(0, y - gStep) * W;
    const y1 = Math.min(H - 1, y + gStep) * W;
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const i = p * 4;
      const u = nx((x + 0.5) / f - 0.5);
      const mr = horner(rowModel, 0, u);
      const mg = horner(rowModel, 1, u);
      const mb = horner(rowModel, 2, u);
      const r = src[i] * scale;
      const g = src[i + 1] * scale;
      const b = src[i + 2] * scale;
      const d = Math.max(Math.abs(r - mr), Math.abs(g - mg), Math.abs(b - mb));
      if (d <= tLow) {
        if (d <= tNear) nearBackdrop[p] = 1;
        continue;
      }
      const im = (mr + mg + mb) / 3;
      const iv = (r + g + b) / 3;
      if (!excludeShadows || iv >= im || im <= 1) {
        cls[p] = 1;
        continue;
      }
      const k = iv / im;
      const dc = Math.max(Math.abs(r - k * mr), Math.abs(g - k * mg), Math.abs(b - k * mb));
      if (dc > tChroma || k < shadowFloor) {
        cls[p] = 1;
        continue;
      }
      const xl = Math.max(0, x - gStep);
      const xr = Math.min(W - 1, x + gStep);
      const gx = lum[y * W + xr] - lum[y * W + xl];
      const gy = lum[y1 + x] - lum[y0 + x];
      const grad = (Math.abs(gx) + Math.abs(gy)) / 3; // lum is r+g+b
      if (grad > tGrad * (0.5 + 0.5 * k)) cls[p] = 1;
      else {
        cls[p] = 2;
        shadowCount++;
      }
    }
  }

  // ---- 6. clean up: specks, enclosed holes -----------------------------------------------------------
  const fg = new Uint8Array(N);
  for (let p = 0; p < N; p++) fg[p] = cls[p] === 1 ? 1 : 0;
  const labels = new Int32Array(N);
  const stack = new Int32Array(N);

  // 6a. drop small isolated specks (8-connected components)
  const comps = labelComponents(fg, 1, W, H, true, labels, stack);
  let largest = 0;
  for (const c of comps) largest = Math.max(largest, c.area);
  if (largest === 0) throw new PlainBackdropError('nothing-found', `no jewelry found: nothing in the image stands out from the backdrop; ${NEEDS_MASK}`);
  const minSpeck = Math.max(4, 0.00003 * N, 0.002 * largest);
  let removed = 0;
  for (const c of comps) if (c.area < minSpeck) c.keep = false;
  for (let p = 0; p < N; p++) {
    const l = labels[p];
    if (l > 0 && !comps[l - 1].keep) {
      fg[p] = 0;
      removed++;
    }
  }
  let fgArea = 0;
  for (let p = 0; p < N; p++) fgArea += fg[p];
  if (fgArea === 0) throw new PlainBackdropError('nothing-found', `no jewelry found: only specks differ from the backdrop; ${NEEDS_MASK}`);

  // 6b. enclosed holes (4-connected background components not touching the frame)
  const bgComps = labelComponents(fg, 0, W, H, false, labels, stack);
  const speckHole = Math.max(4, Math.min(0.0002 * N, 0.005 * fgArea));
  const backdropLike = new Int32Array(bgComps.length);
  for (let p = 0; p < N; p++) {
    const l = labels[p];
    if (l > 0 && cls[p] === 0) backdropLike[l - 1]++;
  }
  let filled = 0;
  for (let n = 0; n < bgComps.length; n++) {
    const c = bgComps[n];
    c.keep = false;
    if (c.touchesBorder) continue;
    // small specks inside the piece (hotspots, sparkle), or enclosed regions that do not look like the
    // backdrop at all (smooth grey metal between edges); big backdrop-like holes (ring holes) stay out
    if (c.area <= speckHole || backdropLike[n] < 0.25 * c.area) c.keep = true;
  }
  for (let p = 0; p < N; p++) {
    const l = labels[p];
    if (l > 0 && bgComps[l - 1].keep) {
      fg[p] = 1;
      filled++;
    }
  }
  fgArea += filled;

  // ---- 7. mask with a 1-px feather -----------------------------------------------------------------
  const out = new Uint8Array(N);
  const feather = options.feather ?? true;
  let touch = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      if (!feather) {
        out[p] = fg[p] ? 255 : 0;
        continue;
      }
      let s = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= H) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= W) continue;
          s += fg[yy * W + xx] * (dx === 0 && dy === 0 ? 4 : dx === 0 || dy === 0 ? 2 : 1);
          n += dx === 0 && dy === 0 ? 4 : dx === 0 || dy === 0 ? 2 : 1;
        }
      }
      out[p] = Math.round((255 * s) / n);
    }
  }
  // walk the frame edge once, counting jewelry pixels and the longest unbroken run of them
  let run = 0;
  let longestRun = 0;
  const edge = (p: number) => {
    if (fg[p]) {
      touch++;
      run++;
      if (run > longestRun) longestRun = run;
    } else run = 0;
  };
  for (let x = 0; x < W; x++) edge(x);
  for (let y = 1; y < H; y++) edge(y * W + W - 1);
  for (let x = W - 2; x >= 0; x--) edge((H - 1) * W + x);
  for (let y = H - 2; y >= 1; y--) edge(y * W);

  const fgShare = fgArea / N;
  const perimeter = 2 * (W + H);
  if (touch > 0.12 * perimeter || longestRun > 0.05 * perimeter) {
    throw new PlainBackdropError('not-plain', `automatic jewelry mask needs a plain backdrop, but ${Math.round((100 * Math.max(touch, longestRun)) / perimeter)}% of the frame edge differs from it (a second surface, skin or a prop runs out of the frame); ${NEEDS_MASK}`);
  }
  if (fgShare > 0.7) {
    throw new PlainBackdropError('fills-frame', `automatic jewelry mask would cover ${Math.round(100 * fgShare)}% of the frame, so the backdrop is not plain or the piece fills the shot; ${NEEDS_MASK}`);
  }

  // ---- 8. warnings and confidence -------------------------------------------------------------------
  if (touch > 0.02 * (2 * (W + H))) warnings.push('the jewelry touches the frame edge: it may be cropped or the backdrop is not plain there');
  if (shadowCount > 0.5 * fgArea) warnings.push('a large shadow was left out of the mask: check that no dark metal was lost with it');
  if (removed > 0.05 * fgArea) warnings.push('many small specks were dropped (dust or noise): fine chain or pavé may be incomplete');
  const sat = Math.max(...meanRgb) - Math.min(...meanRgb);
  if (sat > 40) warnings.push('the backdrop is strongly coloured (skin or a coloured sweep?): check the mask');
  if (fgShare > 0.4) warnings.push('the jewelry covers a large part of the frame: check the mask');
  if (fgShare < 0.0005) warnings.push('very little was found: the piece may be tiny or low-contrast against the backdrop');

  const confidence = clamp01(
    uniformity * Math.min(1, backdropShare / 0.6) * (touch > 0.02 * (2 * (W + H)) ? 0.8 : 1) * (fgShare > 0.4 ? 0.7 : 1) * (sat > 40 ? 0.8 : 1),
  );

  return {
    mask: createMask(W, H, out),
    backdrop: { rgb: [Math.round(meanRgb[0]), Math.round(meanRgb[1]), Math.round(meanRgb[2])], uniformity },
    confidence,
    warnings,
    nearBackdrop,
  };
}

// ---------------------------------------------------------------------------------------------------
// private helpers

/** Monomials, in this order: 1, x, y, x², xy, y², x³, x²y, xy², y³. */
/** coef[c][t] for channel c, term t (unused terms are 0). */
type Surface = Float64Array[];

function fillTerms(phi: Float64Array, x: number, y: number, T: number): void {
  phi[0] = 1;
  if (T < 3) return;
  phi[1] = x;
  phi[2] = y;
  if (T < 6) return;
  phi[3] = x * x;
  phi[4] = x * y;
  phi[5] = y * y;
  if (T < 10) return;
  phi[6] = x * x * x;
  phi[7] = x * x * y;
  phi[8] = x * y * y;
  phi[9] = y * y * y;
}

function termCount(degree: number): number {
  return degree >= 3 ? 10 : degree === 2 ? 6 : degree === 1 ? 3 : 1;
}

function fitSurface(small: Float32Array, w: number, idx: number[], degree: number, nx: (x: number) => number, ny: (y: number) => number): Surface {
  const T = termCount(degree);
  const A = new Float64Array(T * T);
  const B = [new Float64Array(T), new Float64Array(T), new Float64Array(T)];
  const phi = new Float64Array(T);
  for (const j of idx) {
    const x = nx(j % w);
    const y = ny((j / w) | 0);
    fillTerms(phi, x, y, T);
    for (let a = 0; a < T; a++) {
      const pa = phi[a];
      for (let b = a; b < T; b++) A[a * T + b] += pa * phi[b];
      for (let c = 0; c < 3; c++) B[c][a] += pa * small[j * 3 + c];
    }
  }
  for (let a = 0; a < T; a++) for (let b = 0; b < a; b++) A[a * T + b] = A[b * T + a];
  for (let a = 0; a < T; a++) A[a * T + a] += 1e-6 * (idx.length + 1); // tiny ridge
  return B.map((rhs) => {
    const coef = new Float64Array(10);
    const sol = solve(A.slice(), rhs.slice(), T);
    for (let t = 0; t < T; t++) coef[t] = sol[t];
    return coef;
  });
}

function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r * n + col]) > Math.abs(A[piv * n + col])) piv = r;
    if (piv !== col) {
      for (let k = 0; k < n; k++) [A[col * n + k], A[piv * n + k]] = [A[piv * n + k], A[col * n + k]];
      [b[col], b[piv]] = [b[piv], b[col]];
    }
    const d = A[col * n + col] || 1e-12;
    for (let r = col + 1; r < n; r++) {
      const m = A[r * n + col] / d;
      if (m === 0) continue;
      for (let k = col; k < n; k++) A[r * n + k] -= m * A[col * n + k];
      b[r] -= m * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= A[r * n + k] * x[k];
    x[r] = s / (A[r * n + r] || 1e-12);
  }
  return x;
}

function evalSurface(s: Surface, c: number, x: number, y: number): number {
  const k = s[c];
  const x2 = x * x;
  const y2 = y * y;
  return k[0] + k[1] * x + k[2] * y + k[3] * x2 + k[4] * x * y + k[5] * y2 + k[6] * x2 * x + k[7] * x2 * y + k[8] * x * y2 + k[9] * y2 * y;
}

function residualMax(small: Float32Array, j: number, s: Surface, x: number, y: number): number {
  let m = 0;
  for (let c = 0; c < 3; c++) m = Math.max(m, Math.abs(small[j * 3 + c] - evalSurface(s, c, x, y)));
  return m;
}

/** For a fixed y, write each channel's cubic in x: out[c*4 + p] is the coefficient of x^p. */
function rowPolys(s: Surface, y: number, out: Float64Array): void {
  const y2 = y * y;
  for (let c = 0; c < 3; c++) {
    const k = s[c];
    out[c * 4] = k[0] + k[2] * y + k[5] * y2 + k[9] * y2 * y;
    out[c * 4 + 1] = k[1] + k[4] * y + k[8] * y2;
    out[c * 4 + 2] = k[3] + k[7] * y;
    out[c * 4 + 3] = k[6];
  }
}

function horner(row: Float64Array, c: number, x: number): number {
  const o = c * 4;
  return ((row[o + 3] * x + row[o + 2]) * x + row[o + 1]) * x + row[o];
}

function modelMean(s: Surface): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  const n = 9;
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) sum += evalSurface(s, c, (2 * a + 1) / n - 1, (2 * b + 1) / n - 1);
    out[c] = Math.min(255, Math.max(0, sum / (n * n)));
  }
  return out;
}

function median(v: number[]): number {
  if (!v.length) return 0;
  const a = Float64Array.from(v).sort();
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : 0.5 * (a[m - 1] + a[m]);
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
