/**
 * One interface for every context-background provider (ComfyUI, OpenAI-compatible, offline studio; the
 * Photoshop host adds Generative Fill). A provider returns the generated *scene*; the engine
 * (src/engine/background) fits it to the frame and keeps the piece's own pixels on top.
 */
import type { Mask, Rgba8Image } from '../../engine/image';

export interface GenerateRequest {
  /** The photo (8-bit sRGB). */
  readonly image: Rgba8Image;
  /** The jewelry mask: 255 = piece (kept), 0 = context (to generate). */
  readonly mask: Mask;
  readonly prompt: string;
  readonly signal?: AbortSignal;
  onProgress?(fraction: number, message: string): void;
}

export interface BackgroundGenerator {
  /** Shown to the retoucher, e.g. "ComfyUI at http://127.0.0.1:8188". Never contains a key. */
  readonly label: string;
  /** Computed on this machine, no server to wait on (the studio backdrops). */
  readonly offline?: boolean;
  generate(request: GenerateRequest): Promise<Rgba8Image>;
}

/** A provider failed in a way the retoucher can act on; the message is one plain sentence. */
export class GeneratorError extends Error {
  override readonly name = 'GeneratorError';
}
