import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { studioGenerator } from '../../../src/hosts/generators/studioGenerator';
import { buildGenerativeFillDescriptor } from '../../../src/hosts/generators/generativeFillDescriptor';
import { pieceDeviationAfter, ringPhoto } from './testPhoto';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('studio provider: marketplace white behind the piece, piece exact; cancelled before it starts', async () => {
  const { image, mask } = ringPhoto();
  const white = await studioGenerator('marketplace-white').generate({ image, mask, prompt: '' });
  assert.ok(white.data.every((v) => v === 255));
  assert.ok(pieceDeviationAfter(image, mask, white) <= 1);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(studioGenerator().generate({ image, mask, prompt: '', signal: controller.signal }), /cancelled/);
});

test('Generative Fill descriptor matches the golden fixture (shape from adb-mcp, see the fixture)', () => {
  const fixture = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'generators', 'generative-fill.json'), 'utf8'));
  assert.match(fixture.source, /adb-mcp/);
  assert.deepEqual(buildGenerativeFillDescriptor({ documentID: 101, layerID: 7, prompt: 'polished white marble surface' }), fixture.descriptor);
  const d = buildGenerativeFillDescriptor({ documentID: 1, layerID: 2, prompt: 'linen' }) as { serviceOptionsList: { clio: { gi_PROMPT: string } } };
  assert.equal(d.serviceOptionsList.clio.gi_PROMPT, 'linen');
});
