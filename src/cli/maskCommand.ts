/**
 * `loupe mask`: one photo in, the jewelry mask (and optionally the stones mask) out as 8-bit PNGs the
 * size of the photo, from Loupe's own model (models/jewelry-mask.onnx). No jewelry in the frame is said
 * plainly and writes an empty (black) mask, never a silent full-frame one.
 */
import { planOutputs } from './outputFiles';
import { readImageFile, readMaskFile } from '../hosts/psd/readImageFile';
import { loadMaskNetwork, ModelError } from '../hosts/psd/loadMaskModel';
import { writeMaskPng } from '../hosts/psd/writeFileAtomically';
import { familyByName, METAL_FAMILIES, readMetalFamily, segmentWithModel, type ModelMaskResult } from '../engine/segmentation/modelMask';
import type { FamilyProbabilities } from '../engine/metal/modelFamilyReading';
import type { Mask, RgbaImage } from '../engine/image';

export interface MaskArgs {
  readonly input: string;
  readonly out: string;
  readonly stonesOut?: string;
  /** A rough selection around one piece (white = selected, the photo's size): the model looks only there. */
  readonly within?: string;
  readonly signal?: AbortSignal;
  /** The batch's model, kept loaded from photo to photo; without it the model is loaded for this photo alone. */
  readonly model?: MaskModelSession;
}

export interface MaskReport {
  input: string;
  mask: string;
  stones?: string;
  found: boolean;
  coverage: number;
  family: Record<string, number>;
  model: string;
  warnings: string[];
  timingsMs: Record<string, number>;
}

export async function maskOne(args: MaskArgs): Promise<MaskReport> {
  const t: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => { const now = performance.now(); t[name] = Math.round(now - mark); mark = now; };
  const outputs = planOutputs([args.out, args.stonesOut], [args.input, args.within], 'choose another file name');
  const warnings: string[] = [];
  const image = await readImageFile(args.input, { onWarning: (w) => warnings.push(w) });
  const within = args.within ? await readMaskFile(args.within, image.width, image.height) : undefined;
  lap('decode');
  const { result, model } = args.model
    ? await args.model.predict(image, args.signal, within)
    : await predictJewelryMask(image, args.signal, undefined, within);
  lap('model');
  outputs.makeFolders();
  await writeMaskPng(args.out, result.mask);
  if (args.stonesOut) await writeMaskPng(args.stonesOut, result.stones);
  lap('write');
  t.total = Object.values(t).reduce((s, v) => s + v, 0);
  return {
    input: args.input,
    mask: args.out,
    ...(args.stonesOut ? { stones: args.stonesOut } : {}),
    found: result.found,
    coverage: Math.round(result.coverage * 1e5) / 1e5,
    family: Object.fromEntries(METAL_FAMILIES.map((f, i) => [f, Math.round(result.family[i] * 1000) / 1000])),
    model,
    warnings: [...warnings, ...result.warnings],
    timingsMs: t,
  };
}

/** Loupe's mask model for a batch of photos: loaded on the first photo that needs it, kept for the next. */
export interface MaskModelSession {
  /** `within`: a rough selection around one piece, where alone the model looks (segmentWithModel's option). */
  predict(image: RgbaImage, signal?: AbortSignal, within?: Mask): Promise<{ result: ModelMaskResult; model: string }>;
  /** The metal family alone (the whole-frame pass), for a piece whose mask was given; null for a tiny photo. */
  readFamily(image: RgbaImage, signal?: AbortSignal): Promise<FamilyProbabilities | null>;
  /** Frees the runtime; call once the batch is done (a later predict loads the model again). */
  release(): Promise<void>;
}

/**
 * Loading the model (its sha256 check and the runtime's start) takes about 0.6 s, once per session instead
 * of once per photo. A model that fails to load fails every photo alike, with the same ModelError.
 * `load` is the loader (tests count its calls).
 */
export function openMaskModelSession(modelsDir?: string, load: typeof loadMaskNetwork = loadMaskNetwork): MaskModelSession {
  let loading: ReturnType<typeof loadMaskNetwork> | null = null;
  return {
    async predict(image, signal, within) {
      loading ??= load(modelsDir);
      const { info, network } = await loading;
      return { result: await segmentWithModel(image, network, { signal, within }), model: `${info.file} ${info.version}` };
    },
    async readFamily(image, signal) {
      loading ??= load(modelsDir);
      const { network } = await loading;
      const family = await readMetalFamily(image, network, { signal });
      return family && familyByName(family);
    },
    async release() {
      const loaded = loading;
      loading = null;
      if (loaded) await (await loaded.catch(() => null))?.network.release();
    },
  };
}

/**
 * Reads the metal family with the batch's model, for Retouch metal on a mask the retoucher gave; null when
 * the model is missing or damaged (the colour then decides alone, as the plan's notes say).
 */
export function familyReaderOf(model: MaskModelSession, image: RgbaImage, signal?: AbortSignal): () => Promise<FamilyProbabilities | null> {
  return async () => {
    try {
      return await model.readFamily(image, signal);
    } catch (err) {
      if (err instanceof ModelError) return null;
      throw err;
    }
  };
}

/** The model's mask for a photo already read (used by `loupe mask`), loaded for this one photo. */
export async function predictJewelryMask(image: RgbaImage, signal?: AbortSignal, modelsDir?: string, within?: Mask): Promise<{ result: ModelMaskResult; model: string }> {
  const session = openMaskModelSession(modelsDir);
  try {
    return await session.predict(image, signal, within);
  } finally {
    await session.release();
  }
}
