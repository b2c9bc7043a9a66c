/**
 * Provider (b): a ComfyUI server (how studios run SDXL/Flux on their own GPU), through its HTTP routes
 * (docs.comfy.org, "Routes", server.py):
 *   POST /upload/image   multipart `image` (+ `overwrite`) → { name, subfolder, type }
 *   POST /prompt         { prompt: <API-format workflow>, client_id } → { prompt_id, number, node_errors }
 *                        (400 with { error, node_errors } when the workflow does not validate)
 *   GET  /history/{id}   {} while queued/running; then { [id]: { outputs: { node: { images: [{ filename,
 *                        subfolder, type }] } }, status: { status_str, completed } } }
 *   GET  /view?filename=&subfolder=&type=   the image bytes
 *   POST /interrupt      stops the running prompt (sent when the retoucher cancels)
 */
import type { Rgba8Image } from '../../engine/image';
import { GeneratorError, type BackgroundGenerator, type GenerateRequest } from './generator';
import { attemptSignal, fetchWithRetry, sleep, throwIfCancelled, type RetryPolicy } from './http';
import { decodeGeneratedImage } from './generatedImage';
import { squareForGenerator } from './generatorSquare';
import type { ImageCodec } from './imageCodec';
import { DEFAULT_COMFYUI_WORKFLOW, fillWorkflow } from './comfyuiWorkflow';

export interface ComfyUiOptions {
  /** e.g. http://127.0.0.1:8188 */
  readonly url: string;
  /** API-format workflow with {{image}}, {{mask}}, {{prompt}}; default: DEFAULT_COMFYUI_WORKFLOW. */
  readonly workflow?: unknown;
  /** Long side sent (default 1024). */
  readonly side?: number;
  readonly pollIntervalMs?: number;
  /** Whole job, queue included (default 10 min). */
  readonly jobTimeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** sharp on the command line (pngCodec.ts), plain-JS PNG in the panel (portablePngCodec.ts). */
  readonly codec: ImageCodec;
}

interface HistoryImage { filename?: unknown; subfolder?: unknown; type?: unknown }
interface HistoryEntry { outputs?: Record<string, { images?: HistoryImage[] }>; status?: { status_str?: string; completed?: boolean } }

export function comfyUiGenerator(options: ComfyUiOptions): BackgroundGenerator {
  const base = options.url.replace(/\/+$/, '');
  const what = `ComfyUI at ${new URL(base).host}`;
  const call = (path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> => fetchWithRetry(`${base}${path}`, init, what, options.retry, signal);
  const json = async <T>(response: Response): Promise<T> => {
    try { return (await response.json()) as T; } catch { throw new GeneratorError(`${what} answered with something that is not JSON; check the URL`); }
  };

  async function upload(bytes: Uint8Array<ArrayBuffer>, name: string, signal?: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append('image', new Blob([bytes], { type: 'image/png' }), name);
    form.append('overwrite', 'true');
    const body = await json<{ name?: unknown; subfolder?: unknown }>(await call('/upload/image', { method: 'POST', body: form }, signal));
    if (typeof body.name !== 'string') throw new GeneratorError(`${what} did not say where it stored the upload; check the URL`);
    return typeof body.subfolder === 'string' && body.subfolder ? `${body.subfolder}/${body.name}` : body.name;
  }

  return {
    label: `ComfyUI at ${new URL(base).origin}`,
    async generate(request: GenerateRequest): Promise<Rgba8Image> {
      const { signal } = request;
      throwIfCancelled(signal);
      const square = squareForGenerator(request.image, request.mask, options.side ?? 1024);
      const context = new Uint8Array(square.mask.data.length);
      for (let i = 0; i < context.length; i++) context[i] = 255 - square.mask.data[i];
      const tag = uploadTag();
      request.onProgress?.(0.05, 'Uploading to ComfyUI…');
      const imageName = await upload(await options.codec.encodePng(square.image), `loupe-${tag}.png`, signal);
      const maskName = await upload(await options.codec.encodeMaskPng({ width: square.side, height: square.side, data: context }), `loupe-${tag}-mask.png`, signal);
      let workflow;
      try {
        workflow = fillWorkflow(options.workflow ?? DEFAULT_COMFYUI_WORKFLOW, { image: imageName, mask: maskName, prompt: request.prompt });
      } catch (error) {
        throw new GeneratorError((error as Error).message);
      }
      const queued = await json<{ prompt_id?: unknown }>(await call('/prompt', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: workflow, client_id: `loupe-${tag}` }),
      }, signal));
      if (typeof queued.prompt_id !== 'string') throw new GeneratorError(`${what} did not queue the workflow (no prompt_id); check the workflow`);
      const promptId = queued.prompt_id;
      request.onProgress?.(0.15, 'Queued in ComfyUI…');

      const deadline = Date.now() + (options.jobTimeoutMs ?? 600_000);
      let entry: HistoryEntry | undefined;
      try {
        for (;;) {
          const history = await json<Record<string, HistoryEntry>>(await call(`/history/${encodeURIComponent(promptId)}`, { method: 'GET' }, signal));
          entry = history[promptId];
          if (entry?.status?.status_str === 'error') throw new GeneratorError(`${what} failed while running the workflow; see the ComfyUI console`);
          if (entry?.outputs && Object.keys(entry.outputs).length > 0 && entry.status?.completed !== false) break;
          if (Date.now() > deadline) throw new GeneratorError(`${what} did not finish within ${Math.round((options.jobTimeoutMs ?? 600_000) / 1000)} s; check its queue`);
          await sleep(options.pollIntervalMs ?? 1000, signal);
        }
      } catch (error) {
        if (signal?.aborted) {
          const stop = attemptSignal(2000);
          await stop.race(fetch(`${base}/interrupt`, { method: 'POST', signal: stop.signal })).catch(() => undefined).finally(() => stop.dispose());
        }
        throw error;
      }
      const images = Object.values(entry.outputs ?? {}).flatMap((o) => o.images ?? []);
      const picked = images.find((i) => i.type === 'output') ?? images[0];
      if (!picked || typeof picked.filename !== 'string') throw new GeneratorError(`${what} finished without an image; the workflow needs a SaveImage node`);
      const query = new URLSearchParams({ filename: picked.filename, subfolder: typeof picked.subfolder === 'string' ? picked.subfolder : '', type: typeof picked.type === 'string' ? picked.type : 'output' });
      request.onProgress?.(0.9, 'Fetching the generated scene…');
      const bytes = new Uint8Array(await (await call(`/view?${query}`, { method: 'GET' }, signal)).arrayBuffer());
      return decodeGeneratedImage(bytes, request.image.width, request.image.height, what, options.codec);
    },
  };
}

/** Eight hex digits naming this run's uploads; random enough to keep two panels' files apart (no node:crypto in UXP). */
function uploadTag(): string {
  return Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
}
