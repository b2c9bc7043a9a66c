/** The square a generator is sent: pure pixels, no codec (shared by the command line and the panel). */
import { createRgba8, type Mask, type Rgba8Image } from '../../engine/image';
import { resizeMask, resizeRgba8 } from '../../engine/resample';

/**
 * Shrink the photo and mask to at most `maxSide` on the long side and pad them centred to a square (image
 * models work on squares). Padding is symmetric, so the engine's cover-and-centre-crop fit takes exactly
 * the photo's region back out of the generated square. Padding is marked as context (mask 0).
 */
export function squareForGenerator(image: Rgba8Image, mask: Mask, maxSide: number): { image: Rgba8Image; mask: Mask; side: number } {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const w = Math.max(1, Math.round(image.width * scale));
  const h = Math.max(1, Math.round(image.height * scale));
  const small = scale < 1 ? resizeRgba8(image, w, h) : image;
  const smallMask = scale < 1 ? resizeMask(mask, w, h) : mask;
  const side = Math.max(w, h);
  const x0 = Math.floor((side - w) / 2);
  const y0 = Math.floor((side - h) / 2);
  const px = new Uint8Array(side * side * 4);
  // Pad with the photo's edge colour so the generator sees no hard frame.
  const m = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    const sy = Math.min(h - 1, Math.max(0, y - y0));
    for (let x = 0; x < side; x++) {
      const sx = Math.min(w - 1, Math.max(0, x - x0));
      const s = sy * w + sx;
      px.set(small.data.subarray(4 * s, 4 * s + 3), 4 * (y * side + x));
      px[4 * (y * side + x) + 3] = 255;
      const inside = x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
      m[y * side + x] = inside ? smallMask.data[s] : 0;
    }
  }
  return { image: createRgba8(side, side, px), mask: { width: side, height: side, data: m }, side };
}
