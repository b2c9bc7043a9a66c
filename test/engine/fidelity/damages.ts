/**
 * Deliberately damaged results, built from a real scene (photo + jewelry mask + stones mask), each
 * imitating one way a retouch or a generator ruins a jewelry photo. Used by the fidelity tests and by
 * scripts/eval-fidelity.ts (the detection table). Test-only code: nothing here ships.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gaussianBlur } from '../../../src/engine/gaussianBlur';
import { chroma, hueDeg, labToSrgb8, lchToLab, srgb8ToLab, SRGB8_TO_LINEAR, linearToSrgb8 } from '../../../src/engine/color';
import { createRgba8, toRgba8, type Mask, type Rgba8Image } from '../../../src/engine/image';
import { findStones } from '../../../src/engine/fidelity/stoneMeasures';
import { chamferDistance } from '../../../src/engine/fidelity/fidelityFrame';
import { planRetouchMetal } from '../../../src/engine/metal/retouchMetal';
import { renderRecipe } from '../../../src/recipe/compositor';
import { readImageFile, readMaskFile } from '../../../src/hosts/psd/readImageFile';

export interface Scene {
  readonly name: string;
  readonly image: Rgba8Image;
  readonly mask: Mask;
  readonly stones?: Mask;
}

export async function loadScene(name: string, imagePath: string, maskPath: string, stonesPath?: string): Promise<Scene> {
  const image = toRgba8(await readImageFile(imagePath));
  const mask = await readMaskFile(maskPath, image.width, image.height);
  const stones = stonesPath ? await readMaskFile(stonesPath, image.width, image.height) : undefined;
  return { name, image, mask, stones: stones && stones.data.some((v) => v >= 128) ? stones : undefined };
}

const SYNTH = '/work/shared/evaldata/synth';
const SAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'samples', 'ring-yellow-gold-warm-cast');
export const SCENES = {
  sample: () => loadScene('sample solitaire', `${SAMPLE}.png`, `${SAMPLE}.mask.png`, `${SAMPLE}.stones.png`),
  pave: () => loadScene('synth 001 pavé', `${SYNTH}/001_cast.png`, `${SYNTH}/001_mask.png`, `${SYNTH}/001_stones.png`),
  chain: () => loadScene('synth 014 chain', `${SYNTH}/014_cast.png`, `${SYNTH}/014_mask.png`, `${SYNTH}/014_stones.png`),
  prongs: () => loadScene('synth 008 6-prong solitaire', `${SYNTH}/008_cast.png`, `${SYNTH}/008_mask.png`, `${SYNTH}/008_stones.png`),
};

export type Damage = (scene: Scene) => Rgba8Image;

/** The properly retouched result: Retouch metal's recipe, rendered as Photoshop would. */
export function retouched(scene: Scene): Rgba8Image {
  const plan = planRetouchMetal(scene.image, { jewelryMask: scene.mask, stonesMask: scene.stones });
  return renderRecipe(scene.image, plan.recipe);
}

export const untouched: Damage = (s) => createRgba8(s.image.width, s.image.height, Uint8Array.from(s.image.data));

function copy(img: Rgba8Image): Uint8Array {
  return Uint8Array.from(img.data);
}

function stonesOf(s: Scene) {
  if (!s.stones) throw new Error(`${s.name} has no stones`);
  return findStones(s.stones.data, s.image.width, s.image.height);
}

/**
 * Stones cloned over with the metal around them (what a heal/clone or an inpaint does to a stone):
 * `which` = 'largest' paints one stone region (one pavé stone), 'all' every region (the sample's
 * solitaire, which its centre prong splits into two mask regions).
 */
function paintOutStones(s: Scene, which: 'largest' | 'all'): Rgba8Image {
  const { width, height } = s.image;
  const all = stonesOf(s).sort((a, b) => b.radius - a.radius);
  const out = copy(s.image);
  for (const stone of which === 'all' ? all : all.slice(0, 1)) {
    // Metal colour: mean of the metal just around the stone.
    const sum = [0, 0, 0];
    let n = 0;
    const R = stone.radius;
    for (let y = Math.max(0, Math.floor(stone.cy - 2 * R)); y < Math.min(height, stone.cy + 2 * R); y++) {
      for (let x = Math.max(0, Math.floor(stone.cx - 2 * R)); x < Math.min(width, stone.cx + 2 * R); x++) {
        const i = y * width + x, d = Math.hypot(x - stone.cx, y - stone.cy);
        if (d < 1.2 * R || s.mask.data[i] < 250 || (s.stones?.data[i] ?? 0) > 0) continue;
        for (let k = 0; k < 3; k++) sum[k] += s.image.data[i * 4 + k];
        n++;
      }
    }
    const metal = sum.map((v) => v / Math.max(1, n));
    const inStone = new Set(stone.pixels);
    for (let y = Math.max(0, Math.floor(stone.cy - 1.3 * R)); y < Math.min(height, stone.cy + 1.3 * R); y++) {
      for (let x = Math.max(0, Math.floor(stone.cx - 1.3 * R)); x < Math.min(width, stone.cx + 1.3 * R); x++) {
        const i = y * width + x;
        const near = Math.hypot(x - stone.cx, y - stone.cy) < 1.2 * R;
        const cover = inStone.has(i) ? 1 : near ? (s.stones?.data[i] ?? 0) / 255 : 0;
        if (cover <= 0) continue;
        // A gentle gradient so the clone is not a flat disc.
        const shade = 1 + 0.08 * ((y - stone.cy) / R);
        for (let k = 0; k < 3; k++) out[i * 4 + k] = Math.round(out[i * 4 + k] * (1 - cover) + Math.min(255, metal[k] * shade) * cover);
      }
    }
  }
  return createRgba8(width, height, out);
}

export const stonePaintedOut: Damage = (s) => paintOutStones(s, 'largest');
export const solitairePaintedOut: Damage = (s) => paintOutStones(s, 'all');

/** Blur the image plane by plane (RGB). */
function blurred(img: Rgba8Image, sigma: number): Float32Array[] {
  const { width, height } = img;
  const planes: Float32Array[] = [];
  for (let k = 0; k < 3; k++) {
    const p = new Float32Array(width * height);
    for (let i = 0; i < p.length; i++) p[i] = img.data[i * 4 + k];
    planes.push(gaussianBlur(p, width, height, sigma));
  }
  return planes;
}

function mixWhere(img: Rgba8Image, planes: Float32Array[], weight: (i: number) => number): Rgba8Image {
  const out = copy(img);
  for (let i = 0; i < img.width * img.height; i++) {
    const a = weight(i);
    if (a <= 0) continue;
    for (let k = 0; k < 3; k++) out[i * 4 + k] = Math.round(img.data[i * 4 + k] * (1 - a) + planes[k][i] * a);
  }
  return createRgba8(img.width, img.height, out);
}

/** The metal around every stone melted: prongs, beads and bezel smoothed (spec §E.2). */
export const prongsSmoothed: Damage = (s) => {
  const { width } = s.image;
  const stones = stonesOf(s);
  const sigma = Math.max(2, Math.min(...stones.map((t) => t.radius)) / 2.5);
  const planes = blurred(s.image, sigma);
  return mixWhere(s.image, planes, (i) => {
    if ((s.stones?.data[i] ?? 0) >= 128) return 0;
    const x = i % width, y = (i - x) / width;
    for (const t of stones) if (Math.hypot(x - t.cx, y - t.cy) <= 1.8 * t.radius) return s.mask.data[i] / 255;
    return 0;
  });
};

/** The whole piece softened (a chain gone to mush, spec §E.3). */
export const pieceBlurred: Damage = (s) => mixWhere(s.image, blurred(s.image, 1.5), (i) => s.mask.data[i] / 255);

/** Metal pixels through a Lab D50 transform (hue rotation, chroma scale). */
function metalInLab(s: Scene, dHue: number, chromaScale: number): Rgba8Image {
  const out = copy(s.image);
  const lab = [0, 0, 0], lch = [0, 0, 0], rgb = [0, 0, 0];
  for (let i = 0; i < s.mask.data.length; i++) {
    const cover = (s.mask.data[i] / 255) * (1 - (s.stones?.data[i] ?? 0) / 255);
    if (cover <= 0) continue;
    const p = i * 4;
    srgb8ToLab(s.image.data[p], s.image.data[p + 1], s.image.data[p + 2], 'D50', lab);
    lch[0] = lab[0]; lch[1] = chroma(lab[1], lab[2]) * chromaScale; lch[2] = hueDeg(lab[1], lab[2]) + dHue;
    lchToLab(lch[0], lch[1], lch[2], lab);
    labToSrgb8(lab[0], lab[1], lab[2], 'D50', rgb);
    for (let k = 0; k < 3; k++) out[p + k] = Math.round(s.image.data[p + k] * (1 - cover) + rgb[k] * cover);
  }
  return createRgba8(s.image.width, s.image.height, out);
}

/** Gold pushed towards brass: hue +10° (spec §A.5: brass sits at 90°). */
export const hueTowardBrass: Damage = (s) => metalInLab(s, 10, 1);
/** Metal drained towards grey: chroma × 0.4 ("plastic"/dull, spec §E.4–E.5). */
export const hueTowardGrey: Damage = (s) => metalInLab(s, 0, 0.4);

/** Metal exposure +0.9 EV, clipping the highlights (spec §E.6). */
export const highlightsBlown: Damage = (s) => {
  const out = copy(s.image);
  for (let i = 0; i < s.mask.data.length; i++) {
    const cover = (s.mask.data[i] / 255) * (1 - (s.stones?.data[i] ?? 0) / 255);
    if (cover <= 0) continue;
    for (let k = 0; k < 3; k++) {
      const v = linearToSrgb8(Math.min(1, SRGB8_TO_LINEAR[s.image.data[i * 4 + k]] * 1.87));
      out[i * 4 + k] = Math.round(s.image.data[i * 4 + k] * (1 - cover) + v * cover);
    }
  }
  return createRgba8(s.image.width, s.image.height, out);
};

/** The piece pasted back 2 px to the right (a misregistered layer). */
export const pieceShifted2px: Damage = (s) => {
  const { width, height } = s.image;
  const out = copy(s.image);
  for (let y = 0; y < height; y++) {
    for (let x = 2; x < width; x++) {
      const src = y * width + x - 2;
      const a = s.mask.data[src] / 255;
      if (a <= 0) continue;
      const i = y * width + x;
      for (let k = 0; k < 3; k++) out[i * 4 + k] = Math.round(out[i * 4 + k] * (1 - a) + s.image.data[src * 4 + k] * a);
    }
  }
  return createRgba8(width, height, out);
};

/** A smooth studio-grey generated backdrop (cool at the top, warm at the bottom). */
function generatedBackdrop(width: number, height: number): (x: number, y: number) => [number, number, number] {
  return (x, y) => {
    const t = y / height;
    return [Math.round(196 + 30 * t), Math.round(204 + 18 * t), Math.round(218 - 6 * t)];
  };
}

function compositeOnBackdrop(s: Scene, alpha: (i: number) => number): Rgba8Image {
  const { width, height } = s.image;
  const bg = generatedBackdrop(width, height);
  const out = copy(s.image);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x, a = alpha(i);
      const c = bg(x, y);
      for (let k = 0; k < 3; k++) out[i * 4 + k] = Math.round(s.image.data[i * 4 + k] * a + c[k] * (1 - a));
    }
  }
  return createRgba8(width, height, out);
}

/** A generated background composited the right way: out = mask·original + (1−mask)·generated (spec §E). */
export const aiBackgroundClean: Damage = (s) => compositeOnBackdrop(s, (i) => s.mask.data[i] / 255);

/** The same background composited through a mask shrunk 3 px and feathered: it bleeds into the piece. */
export const aiBackgroundSpill: Damage = (s) => {
  const { width, height } = s.image;
  const inside = new Uint8Array(width * height);
  for (let i = 0; i < inside.length; i++) inside[i] = s.mask.data[i] >= 128 ? 1 : 0;
  const dist = chamferDistance(inside, width, height, 1);
  const shrunk = new Float32Array(width * height);
  for (let i = 0; i < shrunk.length; i++) shrunk[i] = dist[i] > 3 ? 255 : 0;
  const soft = gaussianBlur(shrunk, width, height, 1.5);
  return compositeOnBackdrop(s, (i) => Math.min(s.mask.data[i], soft[i]) / 255);
};

/** Unsharp mask far too strong (amount 250 %, radius 2 px) on the piece: bright and dark rims. */
export const overSharpened: Damage = (s) => {
  const { width, height } = s.image;
  const planes = blurred(s.image, 2);
  const out = copy(s.image);
  const inside = new Uint8Array(width * height);
  for (let i = 0; i < inside.length; i++) inside[i] = s.mask.data[i] >= 128 ? 1 : 0;
  const outDist = chamferDistance(inside, width, height, 0);
  for (let i = 0; i < width * height; i++) {
    if (!inside[i] && outDist[i] > 2) continue;
    for (let k = 0; k < 3; k++) {
      const v = s.image.data[i * 4 + k];
      out[i * 4 + k] = Math.max(0, Math.min(255, Math.round(v + 2.5 * (v - planes[k][i]))));
    }
  }
  return createRgba8(width, height, out);
};

/** The piece cut out and set on its own clean floor colour: no contact shadow any more (spec §E.7). */
export const contactShadowRemoved: Damage = (s) => {
  // The floor's own colour: median of the surface well away from the piece.
  const { width, height } = s.image;
  const inside = new Uint8Array(width * height);
  for (let i = 0; i < inside.length; i++) inside[i] = s.mask.data[i] >= 8 ? 1 : 0;
  const outDist = chamferDistance(inside, width, height, 0);
  const vals: number[][] = [[], [], []];
  for (let i = 0; i < inside.length; i += 3) {
    if (outDist[i] < Math.max(20, 0.08 * height)) continue;
    for (let k = 0; k < 3; k++) vals[k].push(s.image.data[i * 4 + k]);
  }
  const floor = vals.map((v) => v.sort((a, b) => a - b)[Math.floor(v.length * 0.75)]);
  const out = copy(s.image);
  for (let i = 0; i < inside.length; i++) {
    const a = s.mask.data[i] / 255;
    for (let k = 0; k < 3; k++) out[i * 4 + k] = Math.round(s.image.data[i * 4 + k] * a + floor[k] * (1 - a));
  }
  return createRgba8(width, height, out);
};

export interface DamageCase {
  readonly damage: Damage;
  readonly scene: keyof typeof SCENES;
  /** The check that must fail. */
  readonly expect: string;
  /** A background/shadow operation: the piece's pixels were meant to stay as photographed. */
  readonly pieceUntouched?: boolean;
}

export const DAMAGES: Readonly<Record<string, DamageCase>> = {
  'solitaire painted out': { damage: solitairePaintedOut, scene: 'sample', expect: 'stones' },
  'one pavé stone painted out': { damage: stonePaintedOut, scene: 'pave', expect: 'stones' },
  'prongs smoothed': { damage: prongsSmoothed, scene: 'prongs', expect: 'settings' },
  'chain blurred': { damage: pieceBlurred, scene: 'chain', expect: 'sharpness' },
  'metal toward brass': { damage: hueTowardBrass, scene: 'sample', expect: 'metal-tone' },
  'metal toward grey': { damage: hueTowardGrey, scene: 'sample', expect: 'metal-tone' },
  'highlights blown': { damage: highlightsBlown, scene: 'sample', expect: 'highlights' },
  'piece shifted 2 px': { damage: pieceShifted2px, scene: 'sample', expect: 'alignment' },
  'background spills into piece': { damage: aiBackgroundSpill, scene: 'sample', expect: 'spill', pieceUntouched: true },
  'over-sharpened halos': { damage: overSharpened, scene: 'sample', expect: 'halo' },
  'contact shadow removed': { damage: contactShadowRemoved, scene: 'sample', expect: 'contact', pieceUntouched: true },
  'AI background, no shadow added': { damage: aiBackgroundClean, scene: 'sample', expect: 'contact', pieceUntouched: true },
};
