/** A small recipe exercising every feature writeLayeredPsd supports (shared by the PSD tests and the benchmark). */
import { createMask, createRgba8, type Mask, type Rgba8Image } from '../../src/engine/image';
import type { Recipe } from '../../src/recipe/recipe';

export function makeSource(width: number, height: number): Rgba8Image {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = 4 * (y * width + x);
      data[p] = (x * 255) / (width - 1);
      data[p + 1] = (y * 255) / (height - 1);
      data[p + 2] = (x * 7 + y * 13) & 255;
      data[p + 3] = 255;
    }
  }
  return createRgba8(width, height, data);
}

/** Soft-edged ellipse mask inside the given box (fractions of the canvas). */
export function ellipseMask(width: number, height: number, cx: number, cy: number, rx: number, ry: number): Mask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot((x - cx * width) / (rx * width), (y - cy * height) / (ry * height));
      data[y * width + x] = d <= 0.8 ? 255 : d >= 1 ? 0 : Math.round(((1 - d) / 0.2) * 255);
    }
  }
  return createMask(width, height, data);
}

/** Pixel layer with opaque-ish content only inside a box (so it gets cropped). */
export function boxLayer(width: number, height: number, box: { left: number; top: number; right: number; bottom: number }, rgba: [number, number, number, number]): Rgba8Image {
  const data = new Uint8Array(width * height * 4);
  for (let y = box.top; y < box.bottom; y++) for (let x = box.left; x < box.right; x++) data.set(rgba, 4 * (y * width + x));
  return createRgba8(width, height, data);
}

export function makeRecipe(width: number, height: number): Recipe {
  return {
    groupName: 'Loupe · Retouch metal',
    width,
    height,
    layers: [
      {
        kind: 'adjustment',
        name: 'Metal tone · 18K yellow gold',
        blendMode: 'normal',
        opacity: 1,
        mask: ellipseMask(width, height, 0.5, 0.5, 0.3, 0.35),
        adjustment: {
          type: 'curves',
          rgb: [{ input: 0, output: 0 }, { input: 96, output: 84 }, { input: 200, output: 220 }, { input: 255, output: 255 }],
          red: [{ input: 0, output: 0 }, { input: 128, output: 140 }, { input: 255, output: 255 }],
          blue: [{ input: 0, output: 0 }, { input: 128, output: 112 }, { input: 255, output: 250 }],
        },
      },
      { kind: 'adjustment', name: 'Saturation', blendMode: 'normal', opacity: 1, adjustment: { type: 'hue/saturation', hue: -5, saturation: -12, lightness: 3 } },
      {
        kind: 'adjustment',
        name: 'Warmth',
        blendMode: 'normal',
        opacity: 0.8,
        adjustment: { type: 'color balance', shadows: [0, 0, -5], midtones: [8, 0, -10], highlights: [0, 2, 0], preserveLuminosity: true },
      },
      {
        kind: 'adjustment',
        name: 'Mixer',
        blendMode: 'luminosity',
        opacity: 1,
        adjustment: { type: 'channel mixer', red: [100, 0, 0, 0], green: [0, 96, 4, 0], blue: [-6, 10, 96, 2] },
      },
      {
        kind: 'pixel',
        name: 'Contact shadow',
        blendMode: 'multiply',
        opacity: 0.6,
        image: boxLayer(width, height, { left: Math.floor(width * 0.2), top: Math.floor(height * 0.7), right: Math.floor(width * 0.8), bottom: Math.floor(height * 0.9) }, [40, 30, 20, 200]),
        mask: ellipseMask(width, height, 0.5, 0.8, 0.3, 0.1),
      },
      {
        kind: 'pixel',
        name: 'High-pass sharpen',
        blendMode: 'overlay',
        opacity: 0.5,
        clipping: true,
        image: boxLayer(width, height, { left: 0, top: 0, right: width, bottom: height }, [128, 128, 128, 255]),
      },
      {
        kind: 'adjustment',
        name: 'Hidden check',
        blendMode: 'normal',
        opacity: 1,
        visible: false,
        adjustment: { type: 'curves', rgb: [{ input: 0, output: 20 }, { input: 255, output: 235 }] },
      },
    ],
    selections: [
      { name: 'Jewelry', mask: ellipseMask(width, height, 0.5, 0.5, 0.3, 0.35) },
      { name: 'Stones', mask: ellipseMask(width, height, 0.4, 0.4, 0.1, 0.1) },
    ],
  };
}

/** Any opaque image stands in for the compositor's render (the writer must store it verbatim). */
export function makeComposite(source: Rgba8Image): Rgba8Image {
  const data = source.data.slice();
  for (let i = 0; i < data.length; i += 4) {
    data[i] = Math.min(255, data[i] + 10);
    data[i + 2] = data[i + 2] ^ 0x55;
  }
  return createRgba8(source.width, source.height, data);
}
