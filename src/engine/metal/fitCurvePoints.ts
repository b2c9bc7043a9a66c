/**
 * Turns a tone function into Curves points a retoucher can edit, checked against Photoshop's own spline
 * (recipe/photoshopCurves): points are added where the spline strays most from the function until it
 * stays within `maxError` code values, so Photoshop renders what the engine meant.
 */
import { curveEvaluator } from '../../recipe/photoshopCurves';
import type { CurvePoint } from '../../recipe/recipe';

/** Photoshop's Curves dialog holds at most 16 points per channel; stay below to leave room for edits. */
const MAX_POINTS = 14;

export function fitCurvePoints(fn: (input: number) => number, maxError = 0.6, seeds: number[] = [0, 64, 128, 192, 255]): CurvePoint[] {
  const target = new Float64Array(256);
  for (let v = 0; v < 256; v++) target[v] = Math.min(255, Math.max(0, fn(v)));
  const inputs = new Set(seeds.map((s) => Math.round(s)));
  for (;;) {
    const points = [...inputs].sort((a, b) => a - b).map((input) => ({ input, output: round2(target[input]) }));
    const curve = curveEvaluator(points);
    let worst = -1, worstErr = 0;
    for (let v = 0; v < 256; v++) {
      const err = Math.abs(curve(v) - target[v]);
      if (err > worstErr && !inputs.has(v)) { worstErr = err; worst = v; }
    }
    if (worstErr <= maxError || points.length >= MAX_POINTS || worst < 0) return points;
    inputs.add(worst);
  }
}

/** Curves store whole numbers in Photoshop; keep outputs integral so the file and the preview agree. */
function round2(v: number): number {
  return Math.round(v);
}
