/**
 * Guided filter (He, Sun & Tang, "Guided Image Filtering", TPAMI 2013), in its fast subsampled form
 * (He & Sun, "Fast Guided Filter", 2015): refines a soft mask p so its edges follow the edges of a guide
 * image I. Used to bring a mask predicted at low resolution back to a 24 MP photo: prongs and chain
 * links get the photo's own edges instead of a blurry upsampled outline.
 *
 * With a grey guide: a = cov(I, p) / (var(I) + ε), b = mean(p) − a·mean(I), both box-averaged, then
 * q = mean(a)·I + mean(b). The coefficients are computed on a grid `subsample` times coarser (they vary
 * slowly by construction) and bilinearly upsampled; only the final q uses the full-resolution guide.
 */
import { resizePlane } from './resample';

export interface GuidedFilterOptions {
  /** Box radius in full-resolution pixels (the window is 2r+1 wide). */
  readonly radius: number;
  /** Regularisation ε on the guide's variance (guide in 0..1): larger keeps p smoother. */
  readonly epsilon: number;
  /** Coarse-grid factor for the coefficients (1 = exact guided filter). */
  readonly subsample?: number;
}

/**
 * Filter `p` (w×h, any range) guided by `guide` (w×h, 0..1). Returns a new plane.
 */
export function guidedFilter(guide: Float32Array, p: Float32Array, w: number, h: number, options: GuidedFilterOptions): Float32Array {
  if (guide.length !== w * h || p.length !== w * h) throw new Error(`guided filter: planes must be ${w}×${h}`);
  const s = Math.max(1, Math.floor(options.subsample ?? 1));
  const cw = Math.max(1, Math.round(w / s)), ch = Math.max(1, Math.round(h / s));
  const I = s > 1 ? resizePlane(guide, w, h, cw, ch) : guide;
  const P = s > 1 ? resizePlane(p, w, h, cw, ch) : p;
  const r = Math.max(1, Math.round(options.radius / s));
  const n = cw * ch;
  const II = new Float32Array(n), IP = new Float32Array(n);
  for (let i = 0; i < n; i++) { II[i] = I[i] * I[i]; IP[i] = I[i] * P[i]; }
  const meanI = boxMean(I, cw, ch, r), meanP = boxMean(P, cw, ch, r);
  const corrI = boxMean(II, cw, ch, r), corrIP = boxMean(IP, cw, ch, r);
  const a = new Float32Array(n), b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const variance = corrI[i] - meanI[i] * meanI[i];
    const covariance = corrIP[i] - meanI[i] * meanP[i];
    a[i] = covariance / (variance + options.epsilon);
    b[i] = meanP[i] - a[i] * meanI[i];
  }
  let meanA = boxMean(a, cw, ch, r), meanB = boxMean(b, cw, ch, r);
  if (s > 1) {
    meanA = resizePlane(meanA, cw, ch, w, h);
    meanB = resizePlane(meanB, cw, ch, w, h);
  }
  const q = new Float32Array(w * h);
  for (let i = 0; i < q.length; i++) q[i] = meanA[i] * guide[i] + meanB[i];
  return q;
}

/** Mean over the (2r+1)² box around each pixel, the box shrunk at the borders (counts, not clamping). */
export function boxMean(src: Float32Array, w: number, h: number, r: number): Float32Array {
  // Running sums along rows, then columns; float64 accumulators keep long rows exact enough.
  const rows = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    let sum = 0;
    for (let x = 0; x < Math.min(r, w); x++) sum += src[o + x];
    for (let x = 0; x < w; x++) {
      if (x + r < w) sum += src[o + x + r];
      if (x - r - 1 >= 0) sum -= src[o + x - r - 1];
      rows[o + x] = sum / (Math.min(w - 1, x + r) - Math.max(0, x - r) + 1);
    }
  }
  const out = new Float32Array(w * h);
  const sums = new Float64Array(w);
  for (let y = 0; y < Math.min(r, h); y++) for (let x = 0; x < w; x++) sums[x] += rows[y * w + x];
  for (let y = 0; y < h; y++) {
    if (y + r < h) for (let x = 0, o = (y + r) * w; x < w; x++) sums[x] += rows[o + x];
    if (y - r - 1 >= 0) for (let x = 0, o = (y - r - 1) * w; x < w; x++) sums[x] -= rows[o + x];
    const count = Math.min(h - 1, y + r) - Math.max(0, y - r) + 1;
    for (let x = 0, o = y * w; x < w; x++) out[o + x] = sums[x] / count;
  }
  return out;
}
