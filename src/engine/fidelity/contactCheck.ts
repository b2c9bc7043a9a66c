/**
 * Contact (spec §E.7, §B.4): does the piece sit on its surface, or float? Where metal touches a surface
 * the surface goes dark in a thin line (the contact shadow, core L* 35–55 on white). A cut-out pasted on
 * a clean backdrop, or a generated background without a shadow, has the same lightness right under the
 * piece as further away: that piece floats.
 *
 * Figure: ΔL* = L*(surface further away) − L*(thin band just below the contact points).
 * Pass ≥ 8, warn 3–8, fail < 3 ("floating").
 *
 * Contact points: the lowest piece pixels, within 2 % of the piece height of its bottom (a product shot
 * stands the piece on the floor of the frame). Work is limited to a few rows under the piece, so a 24 MP
 * frame costs a few thousand pixels.
 */
import { SRGB8_TO_LINEAR } from '../color';
import type { Mask, Rgba8Image } from '../image';
import { assertSameSize } from '../image';
import { contentBounds } from '../maskWindow';
import { judge, skipped, type CheckRegion, type FidelityCheck } from './checkResult';

export const CONTACT_PASS_DELTA_L = 8;
export const CONTACT_FAIL_DELTA_L = 3;

/** Mask coverage counted as the piece, and the coverage below which a pixel is plain surface. */
const INSIDE = 128;
const SURFACE = 8;

export interface ContactMeasure {
  /** ΔL* far − band; NaN when it cannot be measured. */
  readonly deltaL: number;
  readonly bandL: number;
  readonly farL: number;
  /** Rectangle of the contact band that was measured. */
  readonly band?: CheckRegion;
  /** Why it could not be measured. */
  readonly reason?: string;
}

const LABEL = 'Contact shadow';

export function checkContact(image: Rgba8Image, jewelryMask: Mask): FidelityCheck {
  const m = measureContact(image, jewelryMask);
  const common = {
    id: 'contact', label: LABEL, threshold: CONTACT_FAIL_DELTA_L, comparison: '>=' as const,
    warnAt: CONTACT_PASS_DELTA_L, unit: 'ΔL*',
  };
  if (!Number.isFinite(m.deltaL)) return skipped({ ...common, detail: m.reason ?? 'contact not measurable' });
  const fig = round1(m.deltaL);
  const detail = fig < CONTACT_FAIL_DELTA_L
    ? `The piece floats: the surface under it is as light as further away (L* ${round1(m.bandL)} vs ${round1(m.farL)}); add a contact shadow.`
    : fig < CONTACT_PASS_DELTA_L
      ? `Weak contact shadow: the surface under the piece is only ${fig} L* darker than further away; a grounded piece shows ≥ ${CONTACT_PASS_DELTA_L}.`
      : `The surface under the piece is ${fig} L* darker than further away: it sits on the surface.`;
  return judge({ ...common, figure: fig, where: m.band ? [m.band] : undefined, detail });
}

export function measureContact(image: Rgba8Image, jewelryMask: Mask): ContactMeasure {
  assertSameSize('the jewelry mask', image, jewelryMask);
  const { width, height } = image;
  const mask = jewelryMask.data;
  const none = (reason: string): ContactMeasure => ({ deltaL: Number.NaN, bandL: Number.NaN, farL: Number.NaN, reason });

  const bounds = contentBounds(jewelryMask, 0, INSIDE);
  if (!bounds) return none('no jewelry in the mask');
  const pieceHeight = bounds.y1 - bounds.y0;
  const bottom = bounds.y1 - 1;
  const contactTolerance = Math.max(1, Math.round(0.02 * pieceHeight));
  // Band: 1 % of the image height (≥ 2 px) of surface right under the contact points (spec §E.7).
  const bandDepth = Math.max(2, Math.round(0.01 * height));
  // Far surface: past a cast shadow's core but still the same stretch of floor (spec §B.4: a cast shadow
  // has decayed within 8 % of the image height).
  const farStart = Math.max(4 * bandDepth, Math.round(0.08 * height));
  const farDepth = Math.max(2 * bandDepth, Math.round(0.04 * height));

  const bandL: number[] = [];
  const farL: number[] = [];
  let bx0 = width, bx1 = -1, by0 = height, by1 = -1;
  for (let x = bounds.x0; x < bounds.x1; x++) {
    let lowest = -1;
    for (let y = bottom; y >= bottom - contactTolerance && y >= 0; y--) {
      if (mask[y * width + x] >= INSIDE) { lowest = y; break; }
    }
    if (lowest < 0) continue;
    // Step over the antialiased rim, then take the band; stop at any other part of the piece.
    let y = lowest + 1;
    while (y < height && mask[y * width + x] >= SURFACE && mask[y * width + x] < INSIDE) y++;
    if (y >= height || mask[y * width + x] >= SURFACE) continue;
    let darkest = Infinity;
    const bandEnd = Math.min(height, y + bandDepth);
    for (let yy = y; yy < bandEnd; yy++) {
      if (mask[yy * width + x] >= SURFACE) break;
      darkest = Math.min(darkest, lightness(image.data, (yy * width + x) * 4));
      if (yy < by0) by0 = yy;
      if (yy > by1) by1 = yy;
    }
    if (darkest === Infinity) continue;
    bandL.push(darkest);
    if (x < bx0) bx0 = x;
    if (x > bx1) bx1 = x;
    for (let yy = lowest + farStart; yy < Math.min(height, lowest + farStart + farDepth); yy++) {
      if (mask[yy * width + x] < SURFACE) farL.push(lightness(image.data, (yy * width + x) * 4));
    }
  }
  if (bandL.length === 0) return none('no surface below the piece (it touches the bottom of the frame)');

  // Not enough floor below (the piece stands near the frame's bottom edge): compare with the surface
  // beside the piece at the contact rows instead.
  if (farL.length < Math.max(4, bandL.length)) {
    farL.length = 0;
    for (let yy = Math.max(0, bottom - contactTolerance); yy <= Math.min(height - 1, bottom + bandDepth); yy++) {
      for (const x of [bounds.x0 - farStart, bounds.x1 - 1 + farStart]) {
        for (let k = 0; k < farDepth; k++) {
          const xx = x < bounds.x0 ? x - k : x + k;
          if (xx < 0 || xx >= width) continue;
          if (mask[yy * width + xx] < SURFACE) farL.push(lightness(image.data, (yy * width + xx) * 4));
        }
      }
    }
  }
  if (farL.length < 4) return none('no open surface near the piece to compare the contact with');

  // The contact line is the darkest thing under the piece (median of per-column minima); the far surface
  // is its typical lit level (median), so a stray dark speck on either side cannot decide the verdict.
  const band = median(bandL);
  const far = median(farL);
  return {
    deltaL: far - band,
    bandL: band,
    farL: far,
    band: { x: bx0, y: by0, width: bx1 - bx0 + 1, height: by1 - by0 + 1 },
  };
}

/** CIE L* of an 8-bit sRGB pixel (D65; L* depends on luminance only). */
function lightness(data: Uint8Array, i: number): number {
  const y = 0.2126729 * SRGB8_TO_LINEAR[data[i]] + 0.7151522 * SRGB8_TO_LINEAR[data[i + 1]] + 0.072175 * SRGB8_TO_LINEAR[data[i + 2]];
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
}

function median(values: number[]): number {
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
