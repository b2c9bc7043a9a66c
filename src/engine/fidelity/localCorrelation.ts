/**
 * The structure term of SSIM on its own (Wang et al. 2004, eq. 9): s = (σxy + C3) / (σx·σy + C3),
 * C3 = C2/2, with the same Gaussian window (σ 1.5). It is the local correlation of the two patches, blind
 * to both brightness and contrast — so a monotonic tone edit such as a highlight roll-off, which lowers
 * local contrast on purpose, keeps s near 1, while detail painted over, melted or moved drops it.
 * (cs, the contrast-structure term of spec §D.1, also penalises the intended contrast change.) Detail
 * flattened away — local contrast under 35 % of the original's, far below what a roll-off leaves —
 * scales it down, since a flat patch would otherwise "correlate" perfectly.
 *
 * `weights` (0/1) leave pixels out of the window statistics: pixels clipped in the original carry no
 * structure (spec §A.3), so what a hotspot tool paints there is not "changed detail".
 */
import { gaussianBlur } from '../gaussianBlur';

export function localCorrelation(
  x: Float32Array, y: Float32Array, w: number, h: number, weights?: Uint8Array, dataRange = 255,
): Float32Array {
  const n = w * h;
  const C3 = ((0.03 * dataRange) ** 2) / 2;
  const wt = new Float32Array(n);
  for (let i = 0; i < n; i++) wt[i] = weights ? weights[i] : 1;
  const wx = new Float32Array(n), wy = new Float32Array(n);
  const xx = new Float32Array(n), yy = new Float32Array(n), xy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = wt[i] * x[i], b = wt[i] * y[i];
    wx[i] = a; wy[i] = b; xx[i] = a * x[i]; yy[i] = b * y[i]; xy[i] = a * y[i];
  }
  const opts = { method: 'exact' as const, radius: 5 };
  const blur = (p: Float32Array) => gaussianBlur(p, w, h, 1.5, undefined, opts);
  const W = blur(wt), mx = blur(wx), my = blur(wy), mxx = blur(xx), myy = blur(yy), mxy = blur(xy);
  const s = xx; // reuse
  for (let i = 0; i < n; i++) {
    // A window that is mostly unweighted (clipped in the original) holds no evidence either way.
    if (W[i] < 0.2) { s[i] = 1; continue; }
    const k = 1 / W[i];
    const ax = mx[i] * k, ay = my[i] * k;
    const vx = Math.max(0, mxx[i] * k - ax * ax);
    const vy = Math.max(0, myy[i] * k - ay * ay);
    const cxy = mxy[i] * k - ax * ay;
    const sx = Math.sqrt(vx), sy = Math.sqrt(vy);
    // Correlation alone forgives detail flattened away (a flat patch correlates with anything), so
    // contrast lost beyond what any tone edit does — under 35 % of the original's — counts too.
    const kept = Math.min(1, (sy + 2) / (0.35 * sx + 2));
    s[i] = ((cxy + C3) / (sx * sy + C3)) * kept;
  }
  return s;
}
