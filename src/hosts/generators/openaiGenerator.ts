/**
 * Provider (c): an OpenAI-compatible image edit endpoint.
 *
 * Request (OpenAI API reference, "Create image edit", POST /v1/images/edits, multipart/form-data): `image`
 * (PNG, square for dall-e-2, < 4 MB), `mask` (PNG of the same size whose *fully transparent* areas mark
 * where to edit), `prompt`, optional `model`, `n`, `size` ("1024x1024"…), `response_format` ("url" |
 * "b64_json"). Response: `{ created, data: [{ b64_json } | { url }] }`. Errors: `{ error: { message } }`.
 * The key goes in `Authorization: Bearer …` only; it is never put in a message, log or file.
 */
import { createRgba8, type Rgba8Image } from '../../engine/image';
import { GeneratorError, type BackgroundGenerator, type GenerateRequest } from './generator';
import { fetchWithRetry, throwIfCancelled, type RetryPolicy } from './http';
import { base64Bytes, decodeGeneratedImage } from './generatedImage';
import { squareForGenerator } from './generatorSquare';
import type { ImageCodec } from './imageCodec';

export interface OpenAiOptions {
  /** e.g. https://api.openai.com/v1 (the path /images/edits is appended). */
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** Default gpt-image-1; dall-e-2 wants 256/512/1024 squares. */
  readonly model?: string;
  /** Long side sent to the model (default 1024). */
  readonly side?: number;
  readonly retry?: RetryPolicy;
  /** sharp on the command line (pngCodec.ts), plain-JS PNG in the panel (portablePngCodec.ts). */
  readonly codec: ImageCodec;
}

export function openAiGenerator(options: OpenAiOptions): BackgroundGenerator {
  const base = options.baseUrl.replace(/\/+$/, '');
  const what = `the image service at ${new URL(base).host}`;
  return {
    label: `OpenAI-compatible image edit at ${new URL(base).origin}`,
    async generate(request: GenerateRequest): Promise<Rgba8Image> {
      throwIfCancelled(request.signal);
      const side = options.side ?? 1024;
      const square = squareForGenerator(request.image, request.mask, side);
      // The edit mask keeps the piece opaque and makes the context fully transparent (= "edit here").
      const maskRgba = new Uint8Array(square.side * square.side * 4);
      for (let i = 0; i < square.mask.data.length; i++) maskRgba[4 * i + 3] = square.mask.data[i] === 0 ? 0 : 255;
      const form = new FormData();
      form.append('image', new Blob([await options.codec.encodePng(square.image)], { type: 'image/png' }), 'image.png');
      form.append('mask', new Blob([await options.codec.encodePng(createRgba8(square.side, square.side, maskRgba))], { type: 'image/png' }), 'mask.png');
      form.append('prompt', request.prompt);
      form.append('model', options.model ?? 'gpt-image-1');
      form.append('n', '1');
      form.append('size', `${square.side}x${square.side}`);
      if ((options.model ?? 'gpt-image-1').startsWith('dall-e')) form.append('response_format', 'b64_json');
      request.onProgress?.(0.1, 'Sending to the image service…');
      const headers: Record<string, string> = {};
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      const response = await fetchWithRetry(`${base}/images/edits`, { method: 'POST', body: form, headers }, what, options.retry, request.signal);
      let body: { data?: Array<{ b64_json?: unknown }> };
      try {
        body = (await response.json()) as typeof body;
      } catch {
        throw new GeneratorError(`${what} answered with something that is not JSON; check the base URL`);
      }
      const b64 = body?.data?.[0]?.b64_json;
      if (typeof b64 !== 'string' || b64.length === 0) throw new GeneratorError(`${what} answered without an image (no data[0].b64_json); check the base URL and model`);
      request.onProgress?.(0.9, 'Decoding the generated scene…');
      return decodeGeneratedImage(base64Bytes(b64), request.image.width, request.image.height, what, options.codec);
    },
  };
}
