import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, createRgba16, toRgba8, assertSameSize } from '../src/engine/image';

test('16-bit converts to 8-bit with rounding, as Photoshop does', () => {
  const img = createRgba16(1, 1, Uint16Array.of(0, 128, 65535, 32896));
  assert.deepEqual([...toRgba8(img).data], [0, 0, 255, 128]);
});

test('a mask of another size is refused with both sizes in the message', () => {
  assert.throws(() => assertSameSize('mask', { width: 4, height: 3 }, createMask(3, 4)), /3×4 but the image is 4×3/);
});

test('buffers of the wrong length are refused', () => {
  assert.throws(() => createMask(2, 2, new Uint8Array(3)), /expected 4/);
});
