/**
 * Generates the UXP plugin and panel icons (plugin/icons/*.png) procedurally: a loupe (magnifier) with a
 * small brilliant-cut stone in its lens. Pure code, no design files: each pixel's coverage is computed by
 * 4×4 supersampling of signed distances, then encoded as RGBA PNG with sharp.
 *
 * Sizes follow Adobe's "Icons for Your Plugins" guide: panel icons 23×23 (46×46 at 2×), plugin icons
 * 24×24 (48×48 at 2×); files are named <name>@1x.png / <name>@2x.png as UXP resolves `scale: [1, 2]`.
 *
 * Run: npx tsx scripts/make-icons.ts
 */
import sharp from 'sharp';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Rgb = readonly [number, number, number];

export interface IconSpec {
  /** File stem; the @1x/@2x suffix is appended. */
  readonly name: string;
  /** Logical (1×) size in px. */
  readonly size: number;
  /** Glyph colour (sRGB 8-bit). */
  readonly ink: Rgb;
  /** Colour of the stone in the lens; defaults to the ink. */
  readonly accent?: Rgb;
}

/** The icon set the manifest references. Dark themes get a light glyph and vice versa. */
export const ICONS: readonly IconSpec[] = [
  { name: 'panel-dark', size: 23, ink: [214, 214, 214] },
  { name: 'panel-light', size: 23, ink: [70, 70, 70] },
  { name: 'plugin-dark', size: 24, ink: [226, 226, 226], accent: [236, 196, 110] },
  { name: 'plugin-light', size: 24, ink: [64, 64, 64], accent: [176, 128, 40] },
];

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax;
  const vy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(px - (ax + t * vx), py - (ay + t * vy));
}

/** Which part of the glyph covers the unit-square point (u, v): 0 none, 1 ink, 2 accent (stone). */
function glyphAt(u: number, v: number): 0 | 1 | 2 {
  const cx = 0.41;
  const cy = 0.41;
  const r = Math.hypot(u - cx, v - cy);
  // Lens rim: annulus.
  if (Math.abs(r - 0.27) <= 0.055) return 1;
  // Handle: capsule running down-right from the rim.
  if (segmentDistance(u, v, 0.63, 0.63, 0.86, 0.86) <= 0.075) return 1;
  // Stone: a brilliant seen from the side (table on top, pointed pavilion below).
  const sx = u - cx;
  const sy = v - cy;
  const crownTop = -0.085;
  const girdle = -0.02;
  const culet = 0.12;
  if (sy >= crownTop && sy <= girdle) {
    const halfWidth = 0.075 + ((sy - crownTop) / (girdle - crownTop)) * 0.055;
    if (Math.abs(sx) <= halfWidth) return 2;
  } else if (sy > girdle && sy <= culet) {
    const halfWidth = 0.13 * (1 - (sy - girdle) / (culet - girdle));
    if (Math.abs(sx) <= halfWidth) return 2;
  }
  return 0;
}

/** Renders one icon as straight-alpha RGBA8, `px` pixels square. */
export function renderIcon(spec: IconSpec, px: number): Uint8Array {
  const ss = 4;
  const out = new Uint8Array(px * px * 4);
  const accent = spec.accent ?? spec.ink;
  for (let y = 0; y < px; y++) {
    for (let x = 0; x < px; x++) {
      let inkHits = 0;
      let accentHits = 0;
      for (let j = 0; j < ss; j++) {
        for (let i = 0; i < ss; i++) {
          const hit = glyphAt((x + (i + 0.5) / ss) / px, (y + (j + 0.5) / ss) / px);
          if (hit === 1) inkHits++;
          else if (hit === 2) accentHits++;
        }
      }
      const total = inkHits + accentHits;
      const o = (y * px + x) * 4;
      if (total === 0) continue;
      for (let c = 0; c < 3; c++) out[o + c] = Math.round((spec.ink[c] * inkHits + accent[c] * accentHits) / total);
      out[o + 3] = Math.round((255 * total) / (ss * ss));
    }
  }
  return out;
}

async function main(): Promise<void> {
  const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'plugin', 'icons');
  mkdirSync(outDir, { recursive: true });
  for (const spec of ICONS) {
    for (const scale of [1, 2]) {
      const px = spec.size * scale;
      const file = join(outDir, `${spec.name}@${scale}x.png`);
      await sharp(Buffer.from(renderIcon(spec, px)), { raw: { width: px, height: px, channels: 4 } })
        .png({ compressionLevel: 9 })
        .toFile(file);
      console.log(`wrote ${file} (${px}×${px})`);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
