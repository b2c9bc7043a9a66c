/**
 * `npm run dev`: builds the browser harness (webpack, watching) and serves it on http://localhost:5173 with
 * the bundled samples under /samples/ and the mask model and its runtime under /models/ and /ort/. Also used by the end-to-end tests (buildHarness + serveDirectory).
 * Local only: binds 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import webpack from 'webpack';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

interface HarnessModule {
  harnessConfig(argv: { mode: string }): webpack.Configuration;
  HARNESS_DIR: string;
}

async function harnessModule(): Promise<HarnessModule> {
  return (await import(pathToFileURL(join(root, 'webpack.config.js')).href)) as HarnessModule;
}

/** One production-less build of the harness into `outDir` (fast: no minifier). */
export async function buildHarness(outDir: string): Promise<void> {
  const { harnessConfig } = await harnessModule();
  const config = harnessConfig({ mode: 'development' });
  config.output = { ...config.output, path: outDir };
  config.devtool = false;
  const stats = await new Promise<webpack.Stats>((done, fail) => {
    webpack(config, (err, s) => (err || !s ? fail(err ?? new Error('webpack gave no stats')) : done(s)));
  });
  if (stats.hasErrors()) throw new Error(stats.toString('errors-only'));
}

/** Serves `dir` at /, the repository's samples/ at /samples/, the model files at /models/ and /ort/. Resolves once listening. */
export function serveDirectory(dir: string, port: number): Promise<Server> {
  // models/ and ort/ at the paths the UXP build puts them in dist/ (webpack.config.js), for the panel's model loader.
  const roots: [string, string][] = [
    ['/samples/', join(root, 'samples')],
    ['/models/', join(root, 'models')],
    ['/ort/', join(root, 'node_modules', 'onnxruntime-web', 'dist')],
    ['/', dir],
  ];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const [prefix, base] = roots.find(([p]) => url.pathname.startsWith(p)) ?? roots[1];
      const relative = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
      const file = normalize(join(base, relative));
      if (!file.startsWith(base + sep) && file !== base) {
        res.writeHead(403).end();
        return;
      }
      try {
        if (!(await stat(file)).isFile()) throw new Error('not a file');
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(await readFile(file));
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    })();
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

async function main(): Promise<void> {
  const { harnessConfig, HARNESS_DIR } = await harnessModule();
  const port = Number(process.env.PORT ?? 5173);
  const compiler = webpack(harnessConfig({ mode: 'development' }));
  compiler.watch({}, (err, stats) => {
    if (err) console.error(err.message);
    else if (stats?.hasErrors()) console.error(stats.toString('errors-only'));
    else console.log(`harness built (${stats ? stats.endTime - stats.startTime : 0} ms)`);
  });
  await serveDirectory(HARNESS_DIR, port);
  console.log(`Loupe browser harness: http://localhost:${port}/  (Open photo… → samples/ring-yellow-gold-warm-cast.png, then Retouch metal)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
