import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median } from '../../src/engine/metal/linearPixels';

test('median by selection equals the sorted median (odd, even, ties, typed arrays)', () => {
  let seed = 3;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let t = 0; t < 3000; t++) {
    const n = 1 + Math.floor(rnd() * 60);
    const values = Array.from({ length: n }, () => Math.floor(rnd() * (t % 2 ? 5 : 1000)) / 7);
    const sorted = [...values].sort((a, b) => a - b);
    const expected = n % 2 ? sorted[n >> 1] : (sorted[(n >> 1) - 1] + sorted[n >> 1]) / 2;
    assert.equal(median(values), expected);
    assert.equal(median(Float64Array.from(values)), expected);
  }
  assert.ok(Number.isNaN(median([])));
  assert.equal(median(Float64Array.from([9, 1, 5, 7]), 3), 5); // only the first `length` values count
});
