import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../src/inference/sha256.ts';
import { MODELS_DIR } from '../../src/hosts/psd/loadMaskModel.ts';

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('equals node:crypto on the FIPS examples and at every padding boundary', () => {
  assert.equal(sha256Hex(new TextEncoder().encode('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256Hex(new Uint8Array(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  // Lengths around 55/56/64 bytes (one or two padding blocks) and several blocks, with varied content.
  for (let length = 0; length <= 200; length++) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 131 + length * 7) & 0xff);
    assert.equal(sha256Hex(bytes), nodeSha256(bytes), `length ${length}`);
  }
});

test('equals node:crypto on the mask model file and on a subarray view', () => {
  const model = new Uint8Array(readFileSync(join(MODELS_DIR, 'jewelry-mask.onnx')));
  assert.equal(sha256Hex(model), nodeSha256(model));
  const view = model.subarray(3, 100_003);
  assert.equal(sha256Hex(view), nodeSha256(view));
});
