/**
 * Renders Loupe's bundled sample photo: a polished 18K yellow-gold solitaire ring standing on a white
 * sweep, lit by a studio environment, then "shot" with a warm/brassy white-balance cast and slight
 * over-exposure, the way a retoucher typically receives it.
 *
 * Small deterministic ray tracer, no dependencies besides sharp for PNG encoding:
 * - band + prongs: signed distance field, sphere traced; stone: analytic convex polyhedron (round
 *   brilliant, 57 facets' worth of planes) traced inside with refraction (n = 2.42) and total internal
 *   reflection; sweep: floor plane + quarter cylinder + wall, matte white with a soft contact shadow
 *   (SDF soft shadow toward the key light + ambient occlusion);
 * - metal = Fresnel–Schlick with F0 of 18K yellow gold in linear sRGB (0.98, 0.73, 0.43) times the
 *   mirrored scene/environment (two bounces), with a tiny seeded normal jitter for polish micro-blur;
 * - environment: dark studio with a large overhead softbox (blows out as a hotspot on the band), side
 *   strip boxes, a front fill card, black flags in between, and a few small bright sources (catchlights);
 * - 3×3 stratified supersampling per pixel; the same samples give the exact antialiased coverage masks.
 *
 * Outputs (samples/): ring-yellow-gold-warm-cast.png (defect applied), ring-yellow-gold-neutral.png
 * (reference), ring-yellow-gold-warm-cast.mask.png (ring incl. stone), ring-yellow-gold-warm-cast.stones.png
 * (stone only). Prints the metal's median Lab (D50, Photoshop convention) hue and C* / L* for both renders.
 *
 * Run: npx tsx scripts/render-sample.ts [--width 1600 --height 1200 --ss 3 --out samples]
 */
import sharp from 'sharp';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Vec3 = [number, number, number];

// ───────────────────────────── parameters ─────────────────────────────

/** F0 of 18K yellow gold (750, ISO 2N/3N) in linear sRGB. */
export const GOLD_F0: Vec3 = [0.98, 0.73, 0.43];
/** The defect: white-balance gains in linear light (R, G, B) and an exposure multiplier (+0.14 EV). */
export const CAST_GAINS: Vec3 = [1.0, 1.07, 0.78];
export const CAST_EXPOSURE = 1.1;
const SEED = 0x10be;

const DIAMOND_IOR = 2.42;

// Ring, in ring-local coordinates (axis = local z; 1 unit ≈ 10 mm).
const RING_MID_RADIUS = 0.95; // centre of the band's cross-section
const BAND_HALF_THICK = 0.1; // radial half thickness
const BAND_HALF_WIDTH = 0.2; // axial half width
const BAND_ROUND = 0.09; // profile rounding (comfort fit / domed outside)
const RING_OUTER = RING_MID_RADIUS + BAND_HALF_THICK;
const RING_YAW = (38 * Math.PI) / 180; // rotation about world y: shows the hole as an ellipse
const RING_CENTER: Vec3 = [0, RING_OUTER, 0]; // standing upright on the floor

// Stone (round brilliant), table up, centred above the band top.
const GIRDLE_R = 0.3;
const STONE_CENTER_LOCAL_Y = RING_OUTER + 0.14; // girdle plane height in ring-local coordinates
const PRONG_R = 0.036;

// Camera.
const CAM_POS: Vec3 = [0.15, 2.0, 6.2];
const CAM_TARGET: Vec3 = [0, 1.08, 0];
const CAM_VFOV = (31 * Math.PI) / 180;

// ───────────────────────────── small vector helpers ─────────────────────────────

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const mul = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: Vec3): Vec3 => mul(a, 1 / Math.hypot(a[0], a[1], a[2]));
const reflect = (d: Vec3, n: Vec3): Vec3 => sub(d, mul(n, 2 * dot(d, n)));
const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const smoothstep = (a: number, b: number, x: number): number => {
  const t = clamp01((x - a) / (b - a));
  return t * t * (3 - 2 * t);
};

/** Seeded PRNG (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ───────────────────────────── scene: ring (SDF) ─────────────────────────────

const cosY = Math.cos(RING_YAW);
const sinY = Math.sin(RING_YAW);

/** World → ring-local (rotation about y, then translation). */
function toLocal(p: Vec3): Vec3 {
  const x = p[0] - RING_CENTER[0];
  const y = p[1] - RING_CENTER[1];
  const z = p[2] - RING_CENTER[2];
  return [cosY * x - sinY * z, y, sinY * x + cosY * z];
}
function dirToLocal(d: Vec3): Vec3 {
  return [cosY * d[0] - sinY * d[2], d[1], sinY * d[0] + cosY * d[2]];
}
function dirToWorld(d: Vec3): Vec3 {
  return [cosY * d[0] + sinY * d[2], d[1], -sinY * d[0] + cosY * d[2]];
}

function sdBand(p: Vec3): number {
  const qx = Math.hypot(p[0], p[1]) - RING_MID_RADIUS;
  const qy = p[2];
  const dx = Math.abs(qx) - BAND_HALF_THICK + BAND_ROUND;
  const dy = Math.abs(qy) - BAND_HALF_WIDTH + BAND_ROUND;
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - BAND_ROUND;
}

function sdCapsule(p: Vec3, a: Vec3, b: Vec3, r: number): number {
  const pa = sub(p, a);
  const ba = sub(b, a);
  const h = clamp01(dot(pa, ba) / dot(ba, ba));
  const d = sub(pa, mul(ba, h));
  return Math.hypot(d[0], d[1], d[2]) - r;
}

/** Four prongs: each a base→girdle capsule plus a short claw bent over the crown. */
const PRONGS: [Vec3, Vec3, Vec3][] = [0, 1, 2, 3].map((k) => {
  const phi = Math.PI / 4 + (k * Math.PI) / 2;
  const c = Math.cos(phi);
  const s = Math.sin(phi);
  const rb = GIRDLE_R * 0.62;
  const rt = GIRDLE_R + 0.012;
  const base: Vec3 = [rb * c, RING_OUTER - 0.06, rb * s];
  const top: Vec3 = [rt * c, STONE_CENTER_LOCAL_Y + 0.045, rt * s];
  const tip: Vec3 = [(GIRDLE_R - 0.05) * c, STONE_CENTER_LOCAL_Y + 0.085, (GIRDLE_R - 0.05) * s];
  return [base, top, tip];
});
const PRONG_BOUND_CENTER: Vec3 = [0, STONE_CENTER_LOCAL_Y - 0.05, 0];
const PRONG_BOUND_R = 0.42;

function sdMetalLocal(p: Vec3): number {
  let d = sdBand(p);
  const bx = p[0] - PRONG_BOUND_CENTER[0];
  const by = p[1] - PRONG_BOUND_CENTER[1];
  const bz = p[2] - PRONG_BOUND_CENTER[2];
  const bound = Math.hypot(bx, by, bz) - PRONG_BOUND_R;
  if (bound < d) {
    for (const [base, top, tip] of PRONGS) {
      d = Math.min(d, sdCapsule(p, base, top, PRONG_R), sdCapsule(p, top, tip, PRONG_R * 0.85));
    }
  }
  return d;
}

// ───────────────────────────── scene: stone (convex polyhedron) ─────────────────────────────

interface Plane {
  n: Vec3; // outward normal (ring-local)
  d: number; // inside: n·(p − c) ≤ d
}
const STONE_C: Vec3 = [0, STONE_CENTER_LOCAL_Y, 0];
const STONE_PLANES: Plane[] = (() => {
  const planes: Plane[] = [];
  const g = GIRDLE_R;
  const gh = 0.012; // half girdle thickness
  const deg = Math.PI / 180;
  const crownH = 0.16 * 2 * g;
  planes.push({ n: [0, 1, 0], d: crownH }); // table
  const facet = (phi: number, angle: number, up: boolean): Plane => {
    const n: Vec3 = [Math.sin(angle) * Math.cos(phi), (up ? 1 : -1) * Math.cos(angle), Math.sin(angle) * Math.sin(phi)];
    // Through the girdle edge point at radius g, height ±gh.
    const pnt: Vec3 = [g * Math.cos(phi), up ? gh : -gh, g * Math.sin(phi)];
    return { n, d: dot(n, pnt) };
  };
  for (let k = 0; k < 8; k++) {
    const phi = (k * Math.PI) / 4;
    planes.push(facet(phi, 34.5 * deg, true)); // bezel (crown main)
    planes.push(facet(phi + Math.PI / 8, 41 * deg, true)); // upper girdle
    planes.push(facet(phi + Math.PI / 8, 23 * deg, true)); // star facets (near the table)
    planes.push(facet(phi, 40.75 * deg, false)); // pavilion main
    planes.push(facet(phi + Math.PI / 8, 42.5 * deg, false)); // lower girdle
  }
  // Star facets must start at the table edge rather than the girdle: lift them.
  for (const pl of planes) {
    if (pl.n[1] > 0 && pl.n[1] < 0.95 && Math.abs(pl.n[1] - Math.cos(23 * deg)) < 1e-9) pl.d += 0.5 * crownH * Math.cos(23 * deg);
  }
  for (let k = 0; k < 16; k++) {
    const phi = (k * Math.PI) / 8 + Math.PI / 16;
    planes.push({ n: [Math.cos(phi), 0, Math.sin(phi)], d: g });
  }
  return planes;
})();

/** Ray vs stone in ring-local coordinates: entry distance and the entry plane's normal, or null. */
function hitStoneLocal(o: Vec3, d: Vec3): { t: number; n: Vec3 } | null {
  let tNear = -Infinity;
  let tFar = Infinity;
  let nNear: Vec3 | null = null;
  const oc = sub(o, STONE_C);
  for (const pl of STONE_PLANES) {
    const denom = dot(pl.n, d);
    const dist = pl.d - dot(pl.n, oc);
    if (Math.abs(denom) < 1e-12) {
      if (dist < 0) return null;
      continue;
    }
    const t = dist / denom;
    if (denom < 0) {
      if (t > tNear) {
        tNear = t;
        nNear = pl.n;
      }
    } else if (t < tFar) tFar = t;
    if (tNear > tFar) return null;
  }
  if (!nNear || tNear < 1e-5) return null;
  return { t: tNear, n: nNear };
}

/** From a point inside the stone: distance to the exit face and its outward normal. */
function exitStoneLocal(o: Vec3, d: Vec3): { t: number; n: Vec3 } {
  let tFar = Infinity;
  let nFar: Vec3 = [0, 1, 0];
  const oc = sub(o, STONE_C);
  for (const pl of STONE_PLANES) {
    const denom = dot(pl.n, d);
    if (denom <= 1e-12) continue;
    const t = (pl.d - dot(pl.n, oc)) / denom;
    if (t < tFar) {
      tFar = t;
      nFar = pl.n;
    }
  }
  return { t: Math.max(tFar, 0), n: nFar };
}

function sdStoneLocal(p: Vec3): number {
  const oc = sub(p, STONE_C);
  let m = -Infinity;
  for (const pl of STONE_PLANES) m = Math.max(m, dot(pl.n, oc) - pl.d);
  return m;
}

/** Whole-jewelry SDF in world coordinates (used for shadows and occlusion on the sweep). */
function sdJewelry(p: Vec3): number {
  const l = toLocal(p);
  return Math.min(sdMetalLocal(l), sdStoneLocal(l));
}

const JEWEL_BOUND_C: Vec3 = [0, RING_CENTER[1] + 0.12, 0];
const JEWEL_BOUND_R = RING_OUTER + 0.42;

function raySphere(o: Vec3, d: Vec3, c: Vec3, r: number): [number, number] | null {
  const oc = sub(o, c);
  const b = dot(oc, d);
  const cc = dot(oc, oc) - r * r;
  const disc = b * b - cc;
  if (disc < 0) return null;
  const s = Math.sqrt(disc);
  return [-b - s, -b + s];
}

/** Sphere-traces the metal (band + prongs); returns the world distance or Infinity. */
function hitMetal(o: Vec3, d: Vec3): number {
  const span = raySphere(o, d, JEWEL_BOUND_C, JEWEL_BOUND_R);
  if (!span || span[1] < 0) return Infinity;
  let t = Math.max(span[0], 1e-4);
  const lo = toLocal(o);
  const ld = dirToLocal(d);
  for (let i = 0; i < 160 && t < span[1]; i++) {
    const h = sdMetalLocal([lo[0] + ld[0] * t, lo[1] + ld[1] * t, lo[2] + ld[2] * t]);
    if (h < 2e-5) return t;
    t += h * 0.9;
  }
  return Infinity;
}

function metalNormalLocal(p: Vec3): Vec3 {
  const e = 1e-4;
  const a = sdMetalLocal([p[0] + e, p[1] - e, p[2] - e]);
  const b = sdMetalLocal([p[0] - e, p[1] - e, p[2] + e]);
  const c = sdMetalLocal([p[0] - e, p[1] + e, p[2] - e]);
  const f = sdMetalLocal([p[0] + e, p[1] + e, p[2] + e]);
  return norm([a - b - c + f, -a - b + c + f, -a + b - c + f]);
}

// ───────────────────────────── scene: sweep + studio environment ─────────────────────────────

const SWEEP_R = 3; // radius of the floor→wall curve
const SWEEP_Z0 = -2.6; // where the curve starts (behind the ring)
const SWEEP_FRONT_Z = 2.4; // front edge of the sweep table (just out of frame): beyond it, the dark studio

/** Ray vs sweep: floor y=0 (Z0 ≤ z ≤ front edge), quarter cylinder, wall z = Z0 − R (y ≥ R). */
function hitSweep(o: Vec3, d: Vec3): { t: number; n: Vec3 } | null {
  let best: { t: number; n: Vec3 } | null = null;
  const consider = (t: number, n: Vec3) => {
    if (t > 1e-4 && (!best || t < best.t)) best = { t, n };
  };
  if (d[1] < 0) {
    const t = -o[1] / d[1];
    const z = o[2] + d[2] * t;
    if (z >= SWEEP_Z0 && z <= SWEEP_FRONT_Z) consider(t, [0, 1, 0]);
  }
  // Cylinder axis along x through (y = R, z = Z0); we are inside it, take the far root.
  const oy = o[1] - SWEEP_R;
  const oz = o[2] - SWEEP_Z0;
  const a = d[1] * d[1] + d[2] * d[2];
  if (a > 1e-12) {
    const b = oy * d[1] + oz * d[2];
    const c = oy * oy + oz * oz - SWEEP_R * SWEEP_R;
    const disc = b * b - a * c;
    if (disc >= 0) {
      const t = (-b + Math.sqrt(disc)) / a;
      const y = o[1] + d[1] * t;
      const z = o[2] + d[2] * t;
      if (y <= SWEEP_R && z <= SWEEP_Z0) consider(t, norm([0, SWEEP_R - y, SWEEP_Z0 - z]));
    }
  }
  const wallZ = SWEEP_Z0 - SWEEP_R;
  if (d[2] < 0) {
    const t = (wallZ - o[2]) / d[2];
    const y = o[1] + d[1] * t;
    if (y >= SWEEP_R && y < 9) consider(t, [0, 0, 1]);
  }
  return best;
}

const KEY_DIR = norm([0.12, 1, 0.3]);

/** Soft shadow (toward the key light) and occlusion of the jewelry on a sweep point. */
function sweepVisibility(p: Vec3, n: Vec3): number {
  // Soft shadow (penumbra factor k = 5 ⇒ only points within ~0.6 of the jewelry's bound can shade).
  let shadow = 1;
  const span = raySphere(p, KEY_DIR, JEWEL_BOUND_C, JEWEL_BOUND_R + 0.6);
  if (span && span[1] > 0) {
    let t = 0.01;
    for (let i = 0; i < 64 && t < 4; i++) {
      const h = sdJewelry(add(p, mul(KEY_DIR, t)));
      shadow = Math.min(shadow, (5 * h) / t);
      if (shadow < 0.001) break;
      t += Math.min(Math.max(h, 0.01), 0.25);
    }
    shadow = clamp01(shadow);
  }
  // Ambient occlusion along the normal (reaches 0.36).
  let ao = 1;
  if (Math.hypot(p[0] - JEWEL_BOUND_C[0], p[1] - JEWEL_BOUND_C[1], p[2] - JEWEL_BOUND_C[2]) < JEWEL_BOUND_R + 0.4) {
    let occ = 0;
    let w = 1;
    for (let i = 1; i <= 6; i++) {
      const s = 0.06 * i;
      occ += (s - Math.max(sdJewelry(add(p, mul(n, s))), 0)) * w;
      w *= 0.65;
    }
    ao = clamp01(1 - 2.2 * occ);
  }
  return (0.45 + 0.55 * shadow) * (0.3 + 0.7 * ao);
}

/** Radiance of the white sweep (neutral, linear). */
function sweepRadiance(p: Vec3, n: Vec3): number {
  // Lit mostly from above; a gentle fall-off toward the camera and near the top of the wall.
  const lambert = 0.78 + 0.22 * Math.max(0, dot(n, KEY_DIR));
  const front = 1 - 0.07 * smoothstep(1.5, 6, p[2]);
  return 0.86 * lambert * front * sweepVisibility(p, n);
}

/** Small bright sources (catchlights): direction, angular radius (cos), radiance. */
const CATCHLIGHTS: { dir: Vec3; cos: number; L: number }[] = [
  { dir: norm([0.55, 0.62, 0.56]), cos: Math.cos(0.035), L: 40 },
  { dir: norm([-0.62, 0.45, 0.64]), cos: Math.cos(0.03), L: 40 },
  { dir: norm([0.05, 0.28, 1]), cos: Math.cos(0.025), L: 30 },
  { dir: norm([-0.2, 0.9, -0.38]), cos: Math.cos(0.03), L: 35 },
];

/** The studio, seen from the jewelry: softboxes, strips, a fill card, black flags (neutral, linear). */
function environment(d: Vec3): number {
  const [x, y, z] = d;
  let L = 0.05 + 0.05 * Math.max(0, y); // black flags / dark studio
  // Large overhead softbox, slightly toward the camera: the band's broad hotspot.
  const ob = smoothstep(0.5, 0.58, y) * (1 - smoothstep(0.4, 0.48, Math.abs(x))) * smoothstep(-0.45, -0.35, z) * (1 - smoothstep(0.7, 0.78, z));
  L = Math.max(L, 7 * ob);
  // Left strip box (tall, narrow).
  const lb = smoothstep(-0.7, -0.78, x) * smoothstep(-0.25, -0.15, y) * (1 - smoothstep(0.45, 0.55, y)) * smoothstep(-0.3, -0.2, z);
  L = Math.max(L, 3.2 * lb);
  // Right strip box, dimmer, with a vertical gradient.
  const rb = smoothstep(0.74, 0.82, x) * smoothstep(-0.1, 0, y) * (1 - smoothstep(0.5, 0.6, y)) * (1 - smoothstep(0.35, 0.45, Math.abs(z)));
  L = Math.max(L, (1.4 + 1.2 * y) * rb);
  // White fill card behind the camera (gradient).
  const fc = smoothstep(0.8, 0.88, z) * smoothstep(-0.35, -0.25, y) * (1 - smoothstep(0.3, 0.4, y));
  L = Math.max(L, (0.6 + 0.5 * (y + 0.3)) * fc);
  for (const c of CATCHLIGHTS) {
    const cd = dot(d, c.dir);
    if (cd > c.cos - 0.0006) L = Math.max(L, c.L * smoothstep(c.cos - 0.0006, c.cos + 0.0006, cd));
  }
  return L;
}

// ───────────────────────────── shading ─────────────────────────────

interface Hit {
  kind: 'metal' | 'stone' | 'sweep' | 'none';
  t: number;
  n: Vec3; // world normal
}

function intersect(o: Vec3, d: Vec3, skipStone = false): Hit {
  let best: Hit = { kind: 'none', t: Infinity, n: [0, 1, 0] };
  const tm = hitMetal(o, d);
  if (tm < best.t) best = { kind: 'metal', t: tm, n: [0, 0, 0] };
  if (!skipStone) {
    const hs = hitStoneLocal(toLocal(o), dirToLocal(d));
    if (hs && hs.t < best.t) best = { kind: 'stone', t: hs.t, n: dirToWorld(hs.n) };
  }
  const sw = hitSweep(o, d);
  if (sw && sw.t < best.t) best = { kind: 'sweep', t: sw.t, n: sw.n };
  if (best.kind === 'metal') {
    const p = add(o, mul(d, best.t));
    best.n = dirToWorld(metalNormalLocal(toLocal(p)));
  }
  return best;
}

function fresnelDielectric(cosi: number, eta: number): number {
  // eta = n_t / n_i
  const sint2 = (1 - cosi * cosi) / (eta * eta);
  if (sint2 >= 1) return 1;
  const cost = Math.sqrt(1 - sint2);
  const rs = (cosi - eta * cost) / (cosi + eta * cost);
  const rp = (eta * cosi - cost) / (eta * cosi + cost);
  return 0.5 * (rs * rs + rp * rp);
}

function refract(d: Vec3, n: Vec3, eta: number): Vec3 | null {
  // d incident, n facing against d, eta = n_i / n_t
  const cosi = -dot(d, n);
  const k = 1 - eta * eta * (1 - cosi * cosi);
  if (k < 0) return null;
  return norm(add(mul(d, eta), mul(n, eta * cosi - Math.sqrt(k))));
}

interface ShadeCtx {
  jitter: () => number;
}

/** Linear RGB radiance along a ray. */
function trace(o: Vec3, d: Vec3, depth: number, ctx: ShadeCtx, skipStone = false): Vec3 {
  const hit = intersect(o, d, skipStone);
  if (hit.kind === 'none') {
    const L = environment(d);
    return [L, L, L];
  }
  const p = add(o, mul(d, hit.t));
  if (hit.kind === 'sweep') {
    const L = sweepRadiance(p, hit.n);
    return [L, L, L];
  }
  if (hit.kind === 'metal') return shadeMetal(p, d, hit.n, depth, ctx);
  return shadeStone(p, d, hit.n, depth, ctx);
}

function shadeMetal(p: Vec3, d: Vec3, n0: Vec3, depth: number, ctx: ShadeCtx): Vec3 {
  // Polish micro-blur: tiny seeded perturbation of the normal.
  const s = 0.005;
  const n = norm([n0[0] + s * ctx.jitter(), n0[1] + s * ctx.jitter(), n0[2] + s * ctx.jitter()]);
  const cosi = Math.max(0, -dot(d, n));
  const r = reflect(d, n);
  const o = add(p, mul(n0, 2e-4));
  let Li: Vec3;
  if (depth <= 0) {
    const L = environment(r);
    Li = [L, L, L];
  } else Li = trace(o, r, depth - 1, ctx);
  const f = Math.pow(1 - cosi, 5);
  return [
    (GOLD_F0[0] + (1 - GOLD_F0[0]) * f) * Li[0],
    (GOLD_F0[1] + (1 - GOLD_F0[1]) * f) * Li[1],
    (GOLD_F0[2] + (1 - GOLD_F0[2]) * f) * Li[2],
  ];
}

function shadeStone(p: Vec3, d: Vec3, n: Vec3, depth: number, ctx: ShadeCtx): Vec3 {
  const cosi = Math.max(0, -dot(d, n));
  const F = fresnelDielectric(cosi, DIAMOND_IOR);
  const refl = depth > 0 ? trace(add(p, mul(n, 2e-4)), reflect(d, n), depth - 1, ctx, true) : ([0, 0, 0] as Vec3);
  const inside = refract(d, n, 1 / DIAMOND_IOR);
  if (!inside) return refl;
  // Internal path in ring-local coordinates (the polyhedron lives there).
  let lo = toLocal(add(p, mul(n, -2e-4)));
  let ld = dirToLocal(inside);
  let weight = 1 - F;
  const acc: Vec3 = [F * refl[0], F * refl[1], F * refl[2]];
  for (let bounce = 0; bounce < 7 && weight > 0.02; bounce++) {
    const ex = exitStoneLocal(lo, ld);
    const q = add(lo, mul(ld, ex.t));
    const cosExit = dot(ld, ex.n);
    const Fi = fresnelDielectric(cosExit, 1 / DIAMOND_IOR);
    if (Fi < 1) {
      const outLocal = refract(ld, mul(ex.n, -1), DIAMOND_IOR);
      if (outLocal) {
        const oWorld = add(dirToWorld(q), RING_CENTER);
        const dirW = dirToWorld(outLocal);
        const Lout = depth > 0 ? trace(add(oWorld, mul(dirW, 3e-4)), dirW, depth - 1, ctx, true) : ([0, 0, 0] as Vec3);
        const wOut = weight * (1 - Fi);
        acc[0] += wOut * Lout[0];
        acc[1] += wOut * Lout[1];
        acc[2] += wOut * Lout[2];
      }
    }
    weight *= Fi;
    ld = reflect(ld, ex.n);
    lo = add(q, mul(ex.n, -2e-4));
  }
  return acc;
}

// ───────────────────────────── camera + render loop ─────────────────────────────

export interface RenderResult {
  width: number;
  height: number;
  /** Linear RGB, neutral (no cast), float32, width·height·3. */
  linear: Float32Array;
  /** Coverage of the jewelry (metal + stone), 0..1. */
  jewelry: Float32Array;
  /** Coverage of the stone only, 0..1. */
  stone: Float32Array;
}

export function render(width: number, height: number, ss: number, onRow?: (y: number) => void): RenderResult {
  const fwd = norm(sub(CAM_TARGET, CAM_POS));
  const right = norm(cross(fwd, [0, 1, 0]));
  const up = cross(right, fwd);
  const halfH = Math.tan(CAM_VFOV / 2);
  const halfW = (halfH * width) / height;
  const linear = new Float32Array(width * height * 3);
  const jewelry = new Float32Array(width * height);
  const stone = new Float32Array(width * height);
  const rand = rng(SEED);
  const ctx: ShadeCtx = { jitter: () => rand() * 2 - 1 };
  const inv = 1 / (ss * ss);
  const rayAt = (sx: number, sy: number): Vec3 => {
    const u = ((2 * sx) / width - 1) * halfW;
    const v = (1 - (2 * sy) / height) * halfH;
    return norm(add(fwd, add(mul(right, u), mul(up, v))));
  };
  // Pass 1: which pixel corners see the jewelry. Pixels with no jewelry corner within two pixels see only
  // the smooth sweep: one sample is enough there; everything else gets ss×ss samples.
  const cw = width + 1;
  const corner = new Uint8Array(cw * (height + 1));
  for (let y = 0; y <= height; y++) {
    for (let x = 0; x <= width; x++) {
      const d = rayAt(x, y);
      const hitsJewel = hitMetal(CAM_POS, d) < Infinity || hitStoneLocal(toLocal(CAM_POS), dirToLocal(d)) !== null;
      corner[y * cw + x] = hitsJewel ? 1 : 0;
    }
  }
  const nearJewel = (x: number, y: number): boolean => {
    for (let cy = Math.max(0, y - 2); cy <= Math.min(height, y + 3); cy++) {
      for (let cx = Math.max(0, x - 2); cx <= Math.min(width, x + 3); cx++) if (corner[cy * cw + cx]) return true;
    }
    return false;
  };
  const shadePrimary = (d: Vec3, hit: Hit): Vec3 => {
    const p = add(CAM_POS, mul(d, hit.t));
    if (hit.kind === 'metal') return shadeMetal(p, d, hit.n, 2, ctx);
    if (hit.kind === 'stone') return shadeStone(p, d, hit.n, 2, ctx);
    const L = hit.kind === 'sweep' ? sweepRadiance(p, hit.n) : environment(d);
    return [L, L, L];
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * width + x;
      if (!nearJewel(x, y)) {
        const d = rayAt(x + 0.5, y + 0.5);
        const c = shadePrimary(d, intersect(CAM_POS, d, true));
        linear[o * 3] = c[0];
        linear[o * 3 + 1] = c[1];
        linear[o * 3 + 2] = c[2];
        continue;
      }
      let r = 0;
      let g = 0;
      let b = 0;
      let cov = 0;
      let covStone = 0;
      for (let j = 0; j < ss; j++) {
        for (let i = 0; i < ss; i++) {
          const d = rayAt(x + (i + 0.5 + 0.8 * (rand() - 0.5)) / ss, y + (j + 0.5 + 0.8 * (rand() - 0.5)) / ss);
          const hit = intersect(CAM_POS, d);
          if (hit.kind === 'metal' || hit.kind === 'stone') cov++;
          if (hit.kind === 'stone') covStone++;
          const c = shadePrimary(d, hit);
          r += c[0];
          g += c[1];
          b += c[2];
        }
      }
      linear[o * 3] = r * inv;
      linear[o * 3 + 1] = g * inv;
      linear[o * 3 + 2] = b * inv;
      jewelry[o] = cov * inv;
      stone[o] = covStone * inv;
    }
    onRow?.(y);
  }
  return { width, height, linear, jewelry, stone };
}

// ───────────────────────────── colour: encode + measure ─────────────────────────────

export function srgbEncode(v: number): number {
  const c = clamp01(v);
  return c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
}
export function srgbDecode(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

/** Linear RGB → sRGB8, with white-balance gains and exposure applied in linear light. */
export function toSrgb8(linear: Float32Array, gains: Vec3 = [1, 1, 1], exposure = 1): Uint8Array {
  const out = new Uint8Array(linear.length);
  for (let i = 0; i < linear.length; i++) {
    out[i] = Math.round(255 * srgbEncode(linear[i] * gains[i % 3] * exposure));
  }
  return out;
}

/** sRGB8 → Lab D50 the way Photoshop reports it (sRGB D65 → XYZ → Bradford to D50 → CIELAB). */
export function srgb8ToLabD50(r8: number, g8: number, b8: number): Vec3 {
  const r = srgbDecode(r8 / 255);
  const g = srgbDecode(g8 / 255);
  const b = srgbDecode(b8 / 255);
  // sRGB → XYZ (D50 via Bradford, the ICC sRGB matrix).
  const X = 0.4360747 * r + 0.3850649 * g + 0.1430804 * b;
  const Y = 0.2225045 * r + 0.7168786 * g + 0.0606169 * b;
  const Z = 0.0139322 * r + 0.0971045 * g + 0.7141733 * b;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const fx = f(X / 0.96422);
  const fy = f(Y / 1.0);
  const fz = f(Z / 0.82521);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

export interface MetalStats {
  pixels: number;
  hue: number;
  chromaOverL: number;
  gOverR: number;
  bOverR: number;
  L: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Median hue, C* / L*, G/R and B/R over fully covered metal pixels (jewelry 255, stone 0) whose L* is within
 * 35..95, per the spec's acceptance statistic. G/R and B/R are in linear light.
 */
export function measureMetal(rgb: Uint8Array, jewelry: Uint8Array, stone: Uint8Array): MetalStats {
  const hues: number[] = [];
  const cl: number[] = [];
  const gr: number[] = [];
  const br: number[] = [];
  const Ls: number[] = [];
  for (let i = 0; i < jewelry.length; i++) {
    if (jewelry[i] !== 255 || stone[i] !== 0) continue;
    const [L, a, b] = srgb8ToLabD50(rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]);
    if (L < 35 || L > 95) continue;
    const C = Math.hypot(a, b);
    hues.push(((Math.atan2(b, a) * 180) / Math.PI + 360) % 360);
    cl.push(C / L);
    Ls.push(L);
    const R = srgbDecode(rgb[i * 3] / 255);
    gr.push(srgbDecode(rgb[i * 3 + 1] / 255) / R);
    br.push(srgbDecode(rgb[i * 3 + 2] / 255) / R);
  }
  return { pixels: hues.length, hue: median(hues), chromaOverL: median(cl), gOverR: median(gr), bOverR: median(br), L: median(Ls) };
}

function coverage8(c: Float32Array): Uint8Array {
  const out = new Uint8Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = Math.round(255 * clamp01(c[i]));
  return out;
}

// ───────────────────────────── CLI ─────────────────────────────

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const width = Number(arg('width', '1600'));
  const height = Number(arg('height', '1200'));
  const ss = Number(arg('ss', '3'));
  const outDir = arg('out', join(dirname(fileURLToPath(import.meta.url)), '..', 'samples'));
  mkdirSync(outDir, { recursive: true });
  const t0 = Date.now();
  const res = render(width, height, ss, (y) => {
    if (y % 100 === 0) process.stdout.write(`row ${y}/${height} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  });
  console.log(`rendered ${width}×${height} at ${ss}×${ss} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const neutral = toSrgb8(res.linear);
  const cast = toSrgb8(res.linear, CAST_GAINS, CAST_EXPOSURE);
  const jewelry = coverage8(res.jewelry);
  const stone = coverage8(res.stone);
  // Lossless, full colour (no palette: sharp's `effort`/`quality` options would quantise to 256 colours).
  const png = { compressionLevel: 9, adaptiveFiltering: true, palette: false } as const;
  const rgbRaw = { raw: { width, height, channels: 3 as const } };
  const grayRaw = { raw: { width, height, channels: 1 as const } };
  const files: [string, Uint8Array, typeof rgbRaw | typeof grayRaw][] = [
    ['ring-yellow-gold-warm-cast.png', cast, rgbRaw],
    ['ring-yellow-gold-neutral.png', neutral, rgbRaw],
    ['ring-yellow-gold-warm-cast.mask.png', jewelry, grayRaw],
    ['ring-yellow-gold-warm-cast.stones.png', stone, grayRaw],
  ];
  for (const [name, data, raw] of files) {
    const file = join(outDir, name);
    const img = sharp(Buffer.from(data), raw);
    // Masks: single-channel 8-bit grey PNGs.
    const info = await (raw.raw.channels === 1 ? img.toColourspace('b-w') : img).png(png).toFile(file);
    console.log(`wrote ${file} (${(info.size / 1024).toFixed(0)} KiB)`);
  }
  for (const [label, rgb] of [['neutral', neutral], ['warm cast', cast]] as const) {
    const s = measureMetal(rgb, jewelry, stone);
    console.log(
      `${label}: metal median h = ${s.hue.toFixed(1)}°, C*/L* = ${s.chromaOverL.toFixed(3)}, L* = ${s.L.toFixed(1)}, ` +
        `G/R = ${s.gOverR.toFixed(3)}, B/R = ${s.bOverR.toFixed(3)} over ${s.pixels} px (Lab D50, L* 35..95)`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
