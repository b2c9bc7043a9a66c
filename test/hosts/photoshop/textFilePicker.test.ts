/** Photoshop's open-file dialog as the panel uses it (a stub of UXP's localFileSystem). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uxpTextFilePicker, type UxpFileEntry, type UxpLocalFileSystem } from '../../../src/hosts/photoshop/textFilePicker.ts';

function files(answer: UxpFileEntry | UxpFileEntry[] | null | undefined) {
  const asked: unknown[] = [];
  const fs: UxpLocalFileSystem = { async getFileForOpening(options) { asked.push(options); return answer; } };
  return { fs, asked };
}

test('asks for one file of the given types and reads it as text, whether UXP hands back text or bytes', async () => {
  const text = files({ name: 'studio.api.json', read: async () => '{"1":{}}' });
  assert.deepEqual(await uxpTextFilePicker(text.fs)(['json']), { name: 'studio.api.json', text: '{"1":{}}' });
  assert.deepEqual(text.asked, [{ types: ['json'], allowMultiple: false }]);
  const bytes = files([{ name: 'b.json', read: async () => new TextEncoder().encode('{"é":1}').buffer }]);
  assert.deepEqual(await uxpTextFilePicker(bytes.fs)(['json']), { name: 'b.json', text: '{"é":1}' });
});

test('the dialog closed without a file: null, nothing read', async () => {
  assert.equal(await uxpTextFilePicker(files(null).fs)(['json']), null);
  assert.equal(await uxpTextFilePicker(files(undefined).fs)(['json']), null);
  assert.equal(await uxpTextFilePicker(files([]).fs)(['json']), null);
});
