/**
 * Reads one saved selection (alpha channel) back out of an 8-bit PSD's merged image data, raw or RLE: what
 * the harness's "Download PSD" holds after Mask jewelry (ag-psd reads only the colour channels there).
 */
export function readPsdAlphaChannel(psd: Uint8Array, index: number): { width: number; height: number; data: Uint8Array } {
  const dv = new DataView(psd.buffer, psd.byteOffset, psd.byteLength);
  if (dv.getUint32(0) !== 0x38425053 || dv.getUint16(4) !== 1 || dv.getUint16(22) !== 8) throw new Error('not an 8-bit PSD');
  const channels = dv.getUint16(12), height = dv.getUint32(14), width = dv.getUint32(18);
  const channel = 3 + index; // after R, G, B
  if (channel >= channels) throw new Error(`the PSD has ${channels - 3} alpha channels, not ${index + 1}`);
  let p = 26;
  for (let section = 0; section < 3; section++) p += 4 + dv.getUint32(p); // colour mode, resources, layers
  const compression = dv.getUint16(p);
  p += 2;
  const data = new Uint8Array(width * height);
  if (compression === 0) {
    data.set(psd.subarray(p + channel * width * height, p + (channel + 1) * width * height));
    return { width, height, data };
  }
  if (compression !== 1) throw new Error(`merged image compression ${compression}`);
  let at = p + 2 * channels * height;
  for (let row = 0; row < channel * height; row++) at += dv.getUint16(p + 2 * row);
  for (let y = 0; y < height; y++) {
    const end = at + dv.getUint16(p + 2 * (channel * height + y));
    let x = y * width;
    while (at < end) { // PackBits
      const n = dv.getInt8(at++);
      if (n >= 0) { data.set(psd.subarray(at, at + n + 1), x); x += n + 1; at += n + 1; }
      else if (n !== -128) { data.fill(psd[at++], x, x + 1 - n); x += 1 - n; }
    }
  }
  return { width, height, data };
}
