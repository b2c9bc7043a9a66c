import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelComponents } from '../../src/engine/segmentation/connectedComponents';

/** A plane from rows of '#' (1) and '.' (0). */
function plane(rows: string[]): { bin: Uint8Array; W: number; H: number } {
  const W = rows[0].length, H = rows.length;
  return { bin: Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0)), W, H };
}

test('diagonal neighbours join only with eight-connectivity; ids are 1-based and index the result', () => {
  const { bin, W, H } = plane([
    '.....',
    '.#...',
    '..#..',
    '.....',
  ]);
  const labels = new Int32Array(W * H), stack = new Int32Array(W * H);
  const four = labelComponents(bin, 1, W, H, false, labels, stack);
  assert.equal(four.length, 2);
  assert.notEqual(labels[1 * W + 1], labels[2 * W + 2]);
  const eight = labelComponents(bin, 1, W, H, true, labels, stack);
  assert.equal(eight.length, 1);
  assert.equal(eight[0].area, 2);
  assert.equal(labels[1 * W + 1], 1);
  assert.equal(labels[0], 0, 'pixels of the other value stay unlabelled');
  assert.equal(eight[0].touchesBorder, false);
});

test('a component reaching the outer row or column says so; an enclosed one does not', () => {
  const { bin, W, H } = plane([
    '#####',
    '#...#',
    '#####',
    '.....',
  ]);
  const labels = new Int32Array(W * H), stack = new Int32Array(W * H);
  const background = labelComponents(bin, 0, W, H, false, labels, stack);
  assert.equal(background.length, 2);
  const hole = background[labels[1 * W + 2] - 1], outside = background[labels[3 * W] - 1];
  assert.deepEqual([hole.area, hole.touchesBorder], [3, false]);
  assert.deepEqual([outside.area, outside.touchesBorder], [5, true]);
});
