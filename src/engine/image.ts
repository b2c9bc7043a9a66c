/**
 * Pixel buffers shared by every part of Loupe. Pure data, no host code.
 *
 * Images are interleaved RGBA, 8 or 16 bits per channel, sRGB-encoded (what hosts read and write).
 * Masks are one byte per pixel, 0 = outside, 255 = fully inside (antialiased coverage in between),
 * which is what Photoshop layer masks and saved selections hold.
 */

export interface Rgba8Image {
  readonly width: number;
  readonly height: number;
  readonly depth: 8;
  readonly data: Uint8Array; // length = width * height * 4
}

export interface Rgba16Image {
  readonly width: number;
  readonly height: number;
  readonly depth: 16;
  readonly data: Uint16Array; // length = width * height * 4, 0..65535
}

export type RgbaImage = Rgba8Image | Rgba16Image;

export interface Mask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array; // length = width * height, 0..255
}

export function createRgba8(width: number, height: number, data?: Uint8Array): Rgba8Image {
  assertSize(width, height);
  const px = data ?? new Uint8Array(width * height * 4);
  if (px.length !== width * height * 4) throw new Error(`RGBA8 buffer has ${px.length} bytes, expected ${width * height * 4}`);
  return { width, height, depth: 8, data: px };
}

export function createRgba16(width: number, height: number, data?: Uint16Array): Rgba16Image {
  assertSize(width, height);
  const px = data ?? new Uint16Array(width * height * 4);
  if (px.length !== width * height * 4) throw new Error(`RGBA16 buffer has ${px.length} values, expected ${width * height * 4}`);
  return { width, height, depth: 16, data: px };
}

export function createMask(width: number, height: number, data?: Uint8Array): Mask {
  assertSize(width, height);
  const px = data ?? new Uint8Array(width * height);
  if (px.length !== width * height) throw new Error(`mask buffer has ${px.length} bytes, expected ${width * height}`);
  return { width, height, data: px };
}

/** Largest value of one channel at this depth (255 or 65535). */
export function channelMax(image: RgbaImage): number {
  return image.depth === 8 ? 255 : 65535;
}

/** 16-bit → 8-bit with rounding (65535 ↦ 255), as Photoshop converts. */
export function toRgba8(image: RgbaImage): Rgba8Image {
  if (image.depth === 8) return image;
  const out = new Uint8Array(image.data.length);
  const src = image.data;
  for (let i = 0; i < src.length; i++) out[i] = Math.round(src[i] / 257);
  return createRgba8(image.width, image.height, out);
}

export function sameSize(a: { width: number; height: number }, b: { width: number; height: number }): boolean {
  return a.width === b.width && a.height === b.height;
}

export function assertSameSize(what: string, a: { width: number; height: number }, b: { width: number; height: number }): void {
  if (!sameSize(a, b)) {
    throw new Error(`${what} is ${b.width}×${b.height} but the image is ${a.width}×${a.height}: they must be the same size`);
  }
}

function assertSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`invalid image size ${width}×${height}`);
  }
}
