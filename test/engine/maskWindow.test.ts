import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundsWithin, contentBounds, firstNonZero, lastNonZero } from '../../src/engine/maskWindow';
import { createMask } from '../../src/engine/image';

test('firstNonZero / lastNonZero agree with a byte scan, on aligned and unaligned views', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let t = 0; t < 5000; t++) {
    const offset = Math.floor(rnd() * 4);
    const data = new Uint8Array(new ArrayBuffer(72), offset, 64);
    for (let k = Math.floor(rnd() * 4); k > 0; k--) data[Math.floor(rnd() * data.length)] = 1 + Math.floor(rnd() * 255);
    const from = Math.floor(rnd() * data.length), to = from + Math.floor(rnd() * (data.length - from + 1));
    let first = -1, last = -1;
    for (let i = from; i < to; i++) if (data[i] !== 0) { first = i; break; }
    for (let i = to - 1; i >= from; i--) if (data[i] !== 0) { last = i; break; }
    assert.equal(firstNonZero(data, from, to), first);
    assert.equal(lastNonZero(data, from, to), last);
  }
});

test('contentBounds: half-open bounds of the content, grown and clipped; thresholds; empty is null', () => {
  const w = 37, h = 23;
  const d = new Uint8Array(w * h);
  d[5 * w + 9] = 1; d[17 * w + 30] = 200; d[11 * w + 2] = 90;
  const mask = createMask(w, h, d);
  assert.deepEqual(contentBounds(mask), { x0: 2, y0: 5, x1: 31, y1: 18 });
  assert.deepEqual(contentBounds(mask, 4), { x0: 0, y0: 1, x1: 35, y1: 22 });
  assert.deepEqual(contentBounds(mask, 0, 128), { x0: 30, y0: 17, x1: 31, y1: 18 });
  assert.deepEqual(boundsWithin(mask, { x0: 0, y0: 0, x1: 20, y1: 12 }), { x0: 2, y0: 5, x1: 10, y1: 12 });
  assert.equal(contentBounds(createMask(w, h, new Uint8Array(w * h))), null);
});
