import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writePsdUint8Array } from 'ag-psd';
import { displayInfoResource, packBitsPlane, patchPsd } from '../../src/hosts/psd/psdPostPatch';

/** Reference PackBits decoder (independent of the one in readImageFile). */
function unpack(data: Uint8Array, counts: Uint16Array, width: number): Uint8Array {
  const out: number[] = [];
  let p = 0;
  for (const n of counts) {
    const end = p + n;
    const row: number[] = [];
    while (p < end) {
      const h = data[p++];
      if (h < 128) for (let k = 0; k <= h; k++) row.push(data[p++]);
      else if (h > 128) {
        const v = data[p++];
        for (let k = 0; k < 257 - h; k++) row.push(v);
      }
    }
    assert.equal(row.length, width);
    out.push(...row);
  }
  return Uint8Array.from(out);
}

test('packBitsPlane round-trips runs, literals, 128+ spans and single pixels', () => {
  const cases: [number, number, (i: number) => number][] = [
    [1, 1, () => 7],
    [300, 3, () => 0],
    [300, 3, (i) => (i * 7919) & 255],
    [257, 4, (i) => (i % 5 < 2 ? 9 : i & 255)],
    [129, 2, (i) => (i % 129 === 128 ? 1 : 0)],
    [2, 5, (i) => i & 1],
  ];
  for (const [w, h, f] of cases) {
    const plane = Uint8Array.from({ length: w * h }, (_, i) => f(i));
    const { counts, data } = packBitsPlane(plane, w, h);
    assert.deepEqual(unpack(data, counts, w), plane, `${w}×${h}`);
  }
  // A flat row compresses to 2 bytes per 128 pixels.
  assert.equal(packBitsPlane(new Uint8Array(256), 256, 1).data.length, 4);
});

test('patchPsd appends channels, bumps the channel count, replaces same-id resources', () => {
  const w = 5, h = 3;
  const base = writePsdUint8Array({ width: w, height: h, imageData: { width: w, height: h, data: new Uint8ClampedArray(w * h * 4).fill(255) } });
  const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  assert.equal(dv(base).getUint16(12), 3);
  const a = Uint8Array.from({ length: w * h }, (_, i) => i * 10);
  const once = patchPsd(base, { resources: [{ id: 1039, data: new Uint8Array(7).fill(1) }], alphaChannels: [a, a] });
  assert.equal(dv(once).getUint16(12), 5);
  const twice = patchPsd(once, { resources: [{ id: 1039, data: new Uint8Array(7).fill(2) }] });
  const text = Buffer.from(twice).toString('latin1');
  assert.equal(text.split('8BIM\x04\x0f').length - 1, 1, 'exactly one ICC (1039) block');
  assert.equal(twice.length, once.length);
  assert.throws(() => patchPsd(base, { alphaChannels: [new Uint8Array(3)] }), /expected 5×3/);
});

test('displayInfoResource: version 1 and 13 bytes per channel', () => {
  const r = displayInfoResource([{ rgb: [255, 0, 0] }, { rgb: [0, 0, 255], opacityPercent: 70 }]);
  assert.equal(r.id, 1077);
  assert.equal(r.data.length, 4 + 26);
  assert.deepEqual(Array.from(r.data.subarray(0, 17)), [0, 0, 0, 1, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 50, 0]);
  assert.equal(r.data[4 + 13 + 11], 70);
});
