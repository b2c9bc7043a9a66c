/**
 * Conversions between Photoshop's pixel buffers and Loupe's canvas-sized images and masks. Pure.
 *
 * A layer's pixels come back trimmed to its content (`sourceBounds`, which may also reach outside the
 * canvas); Loupe works on canvas-sized RGBA with transparent pixels where the layer has none.
 * 16-bit data is asked for with fullRange (0..65535), Loupe's range.
 */
import { createMask, createRgba16, createRgba8, type Mask, type Rgba8Image, type RgbaImage } from '../../engine/image';
import type { PsBounds, PsPixelArray } from './photoshopApi';

export interface PlacedPixels {
  readonly data: PsPixelArray;
  /** Region the data covers, in canvas coordinates. */
  readonly bounds: PsBounds;
  readonly components: number;
}

/** Places layer pixels (RGB or RGBA, chunky) on a transparent canvas of the document's size. */
export function layerPixelsToCanvas(pixels: PlacedPixels, width: number, height: number, depth: 8 | 16): RgbaImage {
  const { data, bounds, components } = pixels;
  const w = bounds.right - bounds.left;
  const h = bounds.bottom - bounds.top;
  if (components !== 3 && components !== 4) throw new Error(`expected RGB or RGBA pixels, got ${components} components`);
  if (data.length !== w * h * components) throw new Error(`pixel buffer has ${data.length} values, expected ${w * h * components}`);
  const opaque = depth === 8 ? 255 : 65535;
  const out = depth === 8 ? new Uint8Array(width * height * 4) : new Uint16Array(width * height * 4);
  const x0 = Math.max(0, bounds.left);
  const x1 = Math.min(width, bounds.right);
  for (let y = Math.max(0, bounds.top); y < Math.min(height, bounds.bottom); y++) {
    for (let x = x0; x < x1; x++) {
      const s = ((y - bounds.top) * w + (x - bounds.left)) * components;
      const d = (y * width + x) * 4;
      out[d] = data[s];
      out[d + 1] = data[s + 1];
      out[d + 2] = data[s + 2];
      out[d + 3] = components === 4 ? data[s + 3] : opaque;
    }
  }
  return depth === 8 ? createRgba8(width, height, out as Uint8Array) : createRgba16(width, height, out as Uint16Array);
}

/** A selection or mask (1 component, 8-bit) placed on a canvas-sized mask, 0 outside its bounds. */
export function grayToCanvasMask(gray: Uint8Array, bounds: PsBounds, width: number, height: number): Mask {
  const w = bounds.right - bounds.left;
  const h = bounds.bottom - bounds.top;
  if (gray.length !== w * h) throw new Error(`mask buffer has ${gray.length} values, expected ${w * h}`);
  const out = new Uint8Array(width * height);
  const x0 = Math.max(0, bounds.left);
  const x1 = Math.min(width, bounds.right);
  for (let y = Math.max(0, bounds.top); y < Math.min(height, bounds.bottom); y++) {
    const s = (y - bounds.top) * w - bounds.left;
    out.set(gray.subarray(s + x0, s + x1), y * width + x0);
  }
  return createMask(width, height, out);
}

/** The smallest box holding every pixel with alpha > 0, or null for a fully transparent layer. */
export function opaqueBounds(image: Rgba8Image): PsBounds | null {
  const { width, height, data } = image;
  let left = width, top = height, right = 0, bottom = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4 + 3] !== 0) {
        if (x < left) left = x;
        if (x >= right) right = x + 1;
        if (y < top) top = y;
        bottom = y + 1;
      }
    }
  }
  return right > left ? { left, top, right, bottom } : null;
}

/** Copies a region of an RGBA image (chunky, 4 components) for putPixels. */
export function cropRgba8(image: Rgba8Image, box: PsBounds): Uint8Array {
  const w = box.right - box.left;
  const out = new Uint8Array(w * (box.bottom - box.top) * 4);
  for (let y = box.top; y < box.bottom; y++) {
    out.set(image.data.subarray((y * image.width + box.left) * 4, (y * image.width + box.right) * 4), (y - box.top) * w * 4);
  }
  return out;
}
