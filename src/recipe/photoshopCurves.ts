/**
 * Photoshop Curves interpolation: control points (input/output in 0..255 code values) → transfer function.
 *
 * Photoshop draws (and applies) a *natural cubic spline* through the curve points: second derivative 0 at
 * both end points, the spline is evaluated only between the first and last point, values outside are
 * held flat at the end points' outputs, and the result is clamped to 0..255. Two points give a straight line.
 * This is what FFmpeg's `curves` filter does to reproduce Photoshop `.acv` presets (libavfilter/vf_curves.c,
 * "interpolate": natural cubic spline solved with a tridiagonal system, clipped, flat outside the points),
 * and it matches Photoshop's own renders of evaldata/psd/adjustments/curves_rgb.psd (including its
 * non-monotone red curve) to ±1 code value; see test/recipe/photoshopReferences.test.ts.
 */
import type { CurvePoint } from './recipe';

/** Sorted points with unique inputs (a later duplicate input wins, as when a point is dragged onto another). */
function normalise(points: readonly CurvePoint[]): { xs: number[]; ys: number[] } {
  const sorted = [...points]
    .filter((p) => Number.isFinite(p.input) && Number.isFinite(p.output))
    .map((p, i) => ({ x: clamp255(p.input), y: clamp255(p.output), i }))
    .sort((a, b) => a.x - b.x || a.i - b.i);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of sorted) {
    if (xs.length > 0 && xs[xs.length - 1] === p.x) ys[ys.length - 1] = p.y;
    else {
      xs.push(p.x);
      ys.push(p.y);
    }
  }
  return { xs, ys };
}

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** True when the points describe the identity (no points, or only points on the diagonal with 0 and 255 ends). */
export function isIdentityCurve(points: readonly CurvePoint[] | undefined): boolean {
  if (!points || points.length === 0) return true;
  const { xs, ys } = normalise(points);
  if (xs.length < 2 || xs[0] !== 0 || xs[xs.length - 1] !== 255) return false;
  // A natural spline through collinear points is that line.
  return xs.every((x, i) => ys[i] === x);
}

/**
 * Evaluator of the Photoshop curve at any input in 0..255 (fractional inputs allowed, for 16-bit sources).
 * Returns the unrounded output, clamped to 0..255. No points → identity; one point → constant.
 */
export function curveEvaluator(points: readonly CurvePoint[] | undefined): (input: number) => number {
  if (!points || points.length === 0) return (x) => clamp255(x);
  const { xs, ys } = normalise(points);
  const n = xs.length;
  if (n === 0) return (x) => clamp255(x);
  if (n === 1) {
    const y = ys[0];
    return () => y;
  }
  // Second derivatives of the natural cubic spline (m[0] = m[n-1] = 0), Thomas algorithm.
  const m = new Float64Array(n);
  if (n > 2) {
    const h = new Float64Array(n - 1);
    for (let i = 0; i < n - 1; i++) h[i] = xs[i + 1] - xs[i];
    const cp = new Float64Array(n); // modified super-diagonal
    const dp = new Float64Array(n); // modified right-hand side
    for (let i = 1; i < n - 1; i++) {
      const a = h[i - 1];
      const b = 2 * (h[i - 1] + h[i]);
      const c = h[i];
      const d = 6 * ((ys[i + 1] - ys[i]) / h[i] - (ys[i] - ys[i - 1]) / h[i - 1]);
      const denom = b - a * cp[i - 1];
      cp[i] = c / denom;
      dp[i] = (d - a * dp[i - 1]) / denom;
    }
    for (let i = n - 2; i >= 1; i--) m[i] = dp[i] - cp[i] * m[i + 1];
  }
  const x0 = xs[0];
  const xn = xs[n - 1];
  return (x: number): number => {
    if (x <= x0) return ys[0];
    if (x >= xn) return ys[n - 1];
    // Segment search (few points: linear scan is fastest).
    let i = 0;
    while (i < n - 2 && x > xs[i + 1]) i++;
    const h = xs[i + 1] - xs[i];
    const a = (xs[i + 1] - x) / h;
    const b = (x - xs[i]) / h;
    const y = a * ys[i] + b * ys[i + 1] + ((a * a * a - a) * m[i] + (b * b * b - b) * m[i + 1]) * (h * h) / 6;
    return clamp255(y);
  };
}

/** 256-entry lookup table for 8-bit pixels: round(curve(i)). */
export function curveLut8(points: readonly CurvePoint[] | undefined): Uint8Array {
  const f = curveEvaluator(points);
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = Math.round(f(i));
  return lut;
}

/**
 * Fine table for 16-bit sources: entry i is the unrounded curve output (0..255 scale) at input i / 257,
 * i.e. at 16-bit code value i. Float32Array of 65536 entries.
 */
export function curveLutFine(points: readonly CurvePoint[] | undefined): Float32Array {
  const f = curveEvaluator(points);
  const lut = new Float32Array(65536);
  for (let i = 0; i < 65536; i++) lut[i] = f(i / 257);
  return lut;
}

/** 16-bit lookup table (0..65535 in, 0..65535 out, rounded). */
export function curveLut16(points: readonly CurvePoint[] | undefined): Uint16Array {
  const f = curveEvaluator(points);
  const lut = new Uint16Array(65536);
  for (let i = 0; i < 65536; i++) lut[i] = Math.round(f(i / 257) * 257);
  return lut;
}
