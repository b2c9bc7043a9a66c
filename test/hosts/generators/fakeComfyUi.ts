/**
 * A local server speaking ComfyUI's routes as Loupe uses them: POST /upload/image (multipart `image`),
 * POST /prompt ({ prompt, client_id } → { prompt_id, number, node_errors }), GET /history/{id} ({} until
 * done), GET /view?filename&subfolder&type, POST /interrupt. The "generated" image is made from the uploads
 * named by nodes 11 (image) and 12 (mask) of the queued workflow, as Loupe's default workflow names them.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import sharp from 'sharp';
import type { DEFAULT_COMFYUI_WORKFLOW } from '../../../src/hosts/generators/comfyuiWorkflow';
import { fakeGenerate, listen, parseForm, type Misbehaviour, type Recorded } from './fakeServers';

export interface Behaviour {
  how?: Misbehaviour;
  /** history polls answered {} before the result appears */
  pendingPolls?: number;
  promptStatus?: (n: number) => number;
  view?: () => Buffer;
  runError?: boolean;
  neverFinish?: boolean;
}

export async function comfy(b: Behaviour = {}) {
  const uploads = new Map<string, Uint8Array>();
  let queued: Record<string, unknown> | undefined;
  let polls = 0;
  let promptCalls = 0;
  const server = await listen(async (req: Recorded, res: ServerResponse) => {
    const url = new URL(req.path, 'http://x');
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST' && url.pathname === '/upload/image') {
      const form = await parseForm(req);
      const file = form.get('image') as File;
      uploads.set(file.name, new Uint8Array(await file.arrayBuffer()));
      return void res.end(JSON.stringify({ name: file.name, subfolder: '', type: 'input' }));
    }
    if (req.method === 'POST' && url.pathname === '/prompt') {
      const status = b.promptStatus?.(++promptCalls) ?? 200;
      if (status !== 200) { res.statusCode = status; return void res.end(JSON.stringify({ error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation' }, node_errors: {} })); }
      queued = JSON.parse(req.body.toString()).prompt;
      return void res.end(JSON.stringify({ prompt_id: 'p-1', number: 0, node_errors: {} }));
    }
    if (req.method === 'GET' && url.pathname === '/history/p-1') {
      if (b.neverFinish || polls++ < (b.pendingPolls ?? 1)) return void res.end('{}');
      if (b.runError) return void res.end(JSON.stringify({ 'p-1': { outputs: {}, status: { status_str: 'error', completed: false } } }));
      return void res.end(JSON.stringify({ 'p-1': { outputs: { '9': { images: [{ filename: 'loupe-context_00001_.png', subfolder: '', type: 'output' }] } }, status: { status_str: 'success', completed: true } } }));
    }
    if (req.method === 'GET' && url.pathname === '/view') {
      assert.equal(url.searchParams.get('filename'), 'loupe-context_00001_.png');
      assert.equal(url.searchParams.get('type'), 'output');
      res.setHeader('content-type', 'image/png');
      if (b.view) return void res.end(b.view());
      const workflow = queued as typeof DEFAULT_COMFYUI_WORKFLOW;
      const image = uploads.get(workflow['11'].inputs.image as string)!;
      const maskPng = uploads.get(workflow['12'].inputs.image as string)!;
      const context = await sharp(maskPng).extractChannel(0).raw().toBuffer();
      return void res.end(await fakeGenerate(image, (i) => context[i] > 127, b.how ?? 'none'));
    }
    if (req.method === 'POST' && url.pathname === '/interrupt') return void res.end('{}');
    res.statusCode = 404; res.end('{}');
  });
  return { server, uploads, queued: () => queued };
}

