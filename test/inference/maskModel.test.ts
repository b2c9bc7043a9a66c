import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMaskNetwork, MODELS_DIR, readVerifiedModel } from '../../src/hosts/psd/loadMaskModel';
import { regionToPlanes } from '../../src/engine/segmentation/modelMask';
import { createRgba8 } from '../../src/engine/image';

test('the committed model matches its sha256 and runs on one WASM thread with the expected outputs', async () => {
  const { info, network } = await loadMaskNetwork();
  try {
    assert.match(info.sha256, /^[0-9a-f]{64}$/);
    assert.equal(network.backend, 'wasm');
    const image = createRgba8(96, 64, Uint8Array.from({ length: 96 * 64 * 4 }, (_, i) => (i * 37) % 256));
    const { logits, family } = await network.run(regionToPlanes(image, { x: 0, y: 0, w: 96, h: 64 }, 96, 64), 96, 64);
    assert.equal(logits.length, 2 * 96 * 64);
    assert.equal(family.length, 3);
    assert.ok(logits.every(Number.isFinite) && family.every(Number.isFinite));
  } finally {
    await network.release();
  }
});

test('a damaged or missing model is refused with what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-model-'));
  try {
    cpSync(join(MODELS_DIR, 'jewelry-mask.json'), join(dir, 'jewelry-mask.json'));
    const info = JSON.parse(readFileSync(join(dir, 'jewelry-mask.json'), 'utf8'));
    await assert.rejects(readVerifiedModel(dir), /is missing: reinstall Loupe, or give the mask yourself with --mask/);
    const bytes = readFileSync(join(MODELS_DIR, info.file));
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(join(dir, info.file), bytes);
    await assert.rejects(readVerifiedModel(dir), /is damaged \(sha256 .*expected .*\): reinstall Loupe/);
    rmSync(join(dir, 'jewelry-mask.json'));
    await assert.rejects(readVerifiedModel(dir), /description .* is missing or unreadable/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
