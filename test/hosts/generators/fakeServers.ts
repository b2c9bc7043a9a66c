/**
 * In-process HTTP servers (127.0.0.1, random port) speaking each provider's protocol, with switchable
 * misbehaviours. They "generate" by painting the context a flat scene colour and, when asked, repainting
 * the piece too (what a careless model does).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

export interface Recorded { method: string; path: string; headers: IncomingMessage['headers']; body: Buffer }

export interface FakeServer { url: string; requests: Recorded[]; close(): Promise<void> }

export async function listen(handler: (req: Recorded, res: ServerResponse, count: number) => void | Promise<void>): Promise<FakeServer> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(rec);
      Promise.resolve(handler(rec, res, requests.length)).catch((e: unknown) => { res.statusCode = 599; res.end(String(e)); });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Parse a multipart body the way a server would (undici's FormData parser). */
export async function parseForm(rec: Recorded): Promise<FormData> {
  return new Request('http://x/', { method: 'POST', headers: { 'content-type': String(rec.headers['content-type']) }, body: new Uint8Array(rec.body) }).formData();
}

export type Misbehaviour = 'none' | 'alter-piece' | 'wrong-size';

/** "Generate": context → scene colour; the piece kept, repainted, or the whole result resized. */
export async function fakeGenerate(png: Uint8Array, contextMask: (i: number) => boolean, how: Misbehaviour): Promise<Buffer> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < info.width * info.height; i++) {
    if (contextMask(i) || how === 'alter-piece') { data[4 * i] = 30; data[4 * i + 1] = 90; data[4 * i + 2] = 60; }
    data[4 * i + 3] = 255;
  }
  let img = sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } });
  if (how === 'wrong-size') img = sharp(await img.png().toBuffer()).resize(Math.round(info.width * 0.7), Math.round(info.height * 1.3), { fit: 'fill' });
  return img.png().toBuffer();
}

/** A PNG header announcing 100 000 × 100 000 px followed by junk: a decompression bomb's calling card. */
export function hugePngHeader(): Buffer {
  const sig = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100000, 0); ihdr.writeUInt32BE(100000, 4); ihdr[8] = 8; ihdr[9] = 6;
  const chunk = Buffer.concat([Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'), ihdr, Buffer.alloc(4)]);
  const crc = crc32(Buffer.concat([Buffer.from('IHDR'), ihdr]));
  chunk.writeUInt32BE(crc, 21);
  return Buffer.concat([sig, chunk, Buffer.alloc(64, 7)]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) { c ^= b; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); }
  return ~c >>> 0;
}
