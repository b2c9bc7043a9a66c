/**
 * How providers turn pixels into upload bytes and answers back into pixels. Injected, because the two
 * places Loupe talks to providers differ: the command line has sharp (any format), the panel runs in UXP
 * or a browser where only plain JavaScript is available (portablePngCodec.ts, PNG only).
 */
import type { Mask, Rgba8Image } from '../../engine/image';

export interface ImageCodec {
  encodePng(image: Rgba8Image): Promise<Uint8Array<ArrayBuffer>>;
  /** One grey channel: 255 = white. */
  encodeMaskPng(mask: Mask): Promise<Uint8Array<ArrayBuffer>>;
  /** Width and height from the header alone, before any pixel is decoded; throws on bytes it cannot read. */
  size(bytes: Uint8Array): Promise<{ width: number; height: number }>;
  /** Full decode to 8-bit RGBA; throws on damaged data. */
  decode(bytes: Uint8Array): Promise<Rgba8Image>;
}
