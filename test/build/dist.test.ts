/**
 * Builds the UXP panel with webpack (production, the repository's webpack.config.js) into a temporary
 * folder and checks what Photoshop would load: the manifest (v5), the icons it names, index.html, and the
 * bundle (no eval, host modules left as externals, the panel entrypoint registered under the manifest's id).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import sharp from 'sharp';
import { MANIFEST_NETWORK_DOMAINS } from '../../src/hosts/generators/networkDomains.ts';
import webpack from 'webpack';
import { unzipSync } from 'fflate';
import { PANEL_ID } from '../../panels/ids.ts';
import { packageCcx } from '../../scripts/package-ccx.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const THEMES_DARK = ['darkest', 'dark', 'medium'];
const THEMES_LIGHT = ['lightest', 'light'];
const ALLOWED_EXTERNALS = ['photoshop', 'uxp', 'fs', 'os', 'path', 'process', 'shell'];

interface ManifestIcon {
  width: number;
  height: number;
  path: string;
  scale: number[];
  theme: string[];
  species?: string[];
}
interface Manifest {
  manifestVersion: number;
  id: string;
  name: string;
  version: string;
  main: string;
  host: { app: string; minVersion: string } | { app: string; minVersion: string }[];
  entrypoints: {
    type: string;
    id: string;
    label: { default: string };
    minimumSize?: { width: number; height: number };
    maximumSize?: { width: number; height: number };
    preferredDockedSize?: { width: number; height: number };
    preferredFloatingSize?: { width: number; height: number };
    icons?: ManifestIcon[];
  }[];
  icons: ManifestIcon[];
  requiredPermissions?: Record<string, unknown>;
}

let outDir = '';
let manifest: Manifest;
let bundle = '';

function semver(v: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  assert.ok(m, `not x.y.z: ${v}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** "icons/panel-dark.png" at scale 2 → "icons/panel-dark@2x.png", as UXP resolves scaled icons. */
function scaledPath(path: string, scale: number): string {
  const dot = path.lastIndexOf('.');
  return `${path.slice(0, dot)}@${scale}x${path.slice(dot)}`;
}

/** Evaluates the bundle in a fresh context; `require` present = inside UXP, absent = a plain browser. */
function runBundle(withUxp: boolean): { panels: string[]; setupCalls: number; lookedUpRoot: boolean } {
  const result = { panels: [] as string[], setupCalls: 0, lookedUpRoot: false };
  const fakeUxp = {
    entrypoints: {
      setup(config: { panels?: Record<string, unknown> }) {
        result.setupCalls++;
        result.panels = Object.keys(config.panels ?? {});
      },
    },
    host: { name: 'Photoshop', version: '26.0.0' },
  };
  const context: Record<string, unknown> = {
    console,
    setTimeout,
    clearTimeout,
    document: {
      getElementById(id: string) {
        if (id === 'root') result.lookedUpRoot = true;
        return null;
      },
    },
  };
  if (withUxp) {
    context.require = (name: string) => {
      if (name === 'uxp') return fakeUxp;
      throw new Error(`unexpected require(${name}) at load time`);
    };
  }
  vm.runInNewContext(bundle, context, { filename: 'index.js' });
  return result;
}

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'loupe-dist-'));
  const { default: makeConfig } = (await import(pathToFileURL(join(root, 'webpack.config.js')).href)) as {
    default: (env: Record<string, unknown>, argv: { mode: string }) => webpack.Configuration;
  };
  const config = makeConfig({}, { mode: 'production' });
  config.output = { ...config.output, path: outDir };
  const stats = await new Promise<webpack.Stats>((resolve, reject) => {
    webpack(config, (err, s) => (err || !s ? reject(err ?? new Error('no stats')) : resolve(s)));
  });
  assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
  manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as Manifest;
  bundle = readFileSync(join(outDir, 'index.js'), 'utf8');
});

after(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('dist/manifest.json', () => {
  test('is the source manifest, copied unchanged', () => {
    assert.deepEqual(manifest, JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')));
  });

  test('is a valid manifest v5 for Photoshop', () => {
    assert.equal(manifest.manifestVersion, 5);
    assert.match(manifest.id, /^[A-Za-z0-9._-]+$/);
    assert.equal(manifest.name, 'Loupe');
    semver(manifest.version);
    assert.equal(manifest.main, 'index.html');
    const hosts = Array.isArray(manifest.host) ? manifest.host : [manifest.host];
    const ps = hosts.find((h) => h.app === 'PS');
    assert.ok(ps, 'host app PS');
    const [major, minor] = semver(ps.minVersion);
    // Manifest v5 permissions need PS 23.3; the Imaging API (`imaging`) needs 24.4.
    assert.ok(major > 24 || (major === 24 && minor >= 4), `minVersion ${ps.minVersion} too old`);
  });

  test('declares exactly one panel, with the id the bundle registers, and sane sizes', () => {
    const panels = manifest.entrypoints.filter((e) => e.type === 'panel');
    assert.equal(panels.length, 1);
    const panel = panels[0];
    assert.equal(panel.id, PANEL_ID);
    assert.equal(panel.label.default, 'Loupe');
    const { minimumSize: min, maximumSize: max, preferredDockedSize: docked, preferredFloatingSize: floating } = panel;
    assert.ok(min && max && docked && floating, 'all four panel sizes are set');
    for (const size of [docked, floating]) {
      assert.ok(size.width >= min.width && size.height >= min.height, 'preferred ≥ minimum');
      assert.ok(size.width <= max.width && size.height <= max.height, 'preferred ≤ maximum');
    }
    assert.ok(min.width >= 200 && min.width <= 320, 'minimum width fits a docked column');
  });

  test('asks for exactly the providers\' network domains (local ComfyUI, OpenAI) and file access through pickers only (the workflow file)', () => {
    const perms = manifest.requiredPermissions ?? {};
    assert.deepEqual(perms.network, { domains: ['http://127.0.0.1:8188', 'http://localhost:8188', 'https://api.openai.com'] });
    assert.deepEqual((perms.network as { domains: string[] }).domains, [...MANIFEST_NETWORK_DOMAINS], 'the list the Photoshop host checks provider URLs against');
    assert.equal(perms.localFileSystem, 'request', 'the open-file dialog needs "request"; never "fullAccess"');
  });

  test('every icon exists at 1x and 2x with the declared pixel size, for dark and light themes', async () => {
    const sets: [string, ManifestIcon[]][] = [['plugin', manifest.icons]];
    for (const e of manifest.entrypoints) sets.push([`entrypoint ${e.id}`, e.icons ?? []]);
    let checked = 0;
    for (const [owner, icons] of sets) {
      assert.ok(icons.length > 0, `${owner} has icons`);
      const themes = icons.flatMap((i) => i.theme);
      for (const t of [...THEMES_DARK, ...THEMES_LIGHT]) assert.ok(themes.includes(t), `${owner} covers theme ${t}`);
      for (const icon of icons) {
        assert.deepEqual(icon.scale, [1, 2], `${owner} ${icon.path} scales`);
        for (const scale of icon.scale) {
          const file = join(outDir, scaledPath(icon.path, scale));
          assert.ok(existsSync(file), `missing ${file}`);
          const meta = await sharp(file).metadata();
          assert.equal(meta.format, 'png');
          assert.equal(meta.width, icon.width * scale, `${file} width`);
          assert.equal(meta.height, icon.height * scale, `${file} height`);
          assert.equal(meta.hasAlpha, true, `${file} is transparent around the glyph`);
          checked++;
        }
      }
    }
    assert.equal(checked, 8);
  });
});

describe('dist/index.html and the bundle', () => {
  test('index.html loads index.js, which is the only script', () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    assert.match(html, /<script[^>]+src="?index\.js"?/);
    const scripts = readdirSync(outDir).filter((f) => f.endsWith('.js'));
    assert.deepEqual(scripts, ['index.js']);
  });

  test('contains no eval or Function constructor (UXP forbids code generation from strings)', () => {
    assert.equal(bundle.includes('eval('), false);
    assert.equal(/new Function\s*\(/.test(bundle), false);
    assert.equal(bundle.includes('sourceMappingURL=data:'), false, 'no inline source map in production');
  });

  test('requires only UXP host modules, as externals', () => {
    const required = [...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    assert.ok(required.includes('uxp'), 'uxp is required at runtime');
    for (const name of required) assert.ok(ALLOWED_EXTERNALS.includes(name), `unexpected require("${name}")`);
    // React is bundled, not required.
    assert.equal(required.includes('react'), false);
  });

  test('inside UXP: registers the manifest panel id via entrypoints.setup at load', () => {
    const run = runBundle(true);
    assert.equal(run.setupCalls, 1);
    assert.deepEqual(run.panels, [PANEL_ID]);
    const manifestPanels = manifest.entrypoints.filter((e) => e.type === 'panel').map((e) => e.id);
    assert.deepEqual(run.panels, manifestPanels);
  });

  test('holds the Photoshop host but never loads `photoshop` before the panel is shown, and no lazy code', () => {
    assert.ok(bundle.includes('require("photoshop")') || bundle.includes("require('photoshop')"), 'the Photoshop host is in the bundle');
    // onnxruntime-web keeps a dynamic import and two Worker constructors for its proxy and thread paths, which
    // the panel never takes (one thread, no proxy; test/build/uxpModel.test.ts runs it with neither); nothing
    // else may add any, and webpack must have made no chunk loader.
    const ort = readFileSync(join(root, 'node_modules', 'onnxruntime-web', 'dist', 'ort.wasm.bundle.min.mjs'), 'utf8');
    const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;
    assert.equal(count(bundle, /\bimport\(/g), count(ort, /\bimport\(/g), 'no dynamic import beyond ORT\'s unused proxy loader');
    assert.equal(count(bundle, /new Worker\s*\(/g), count(ort, /new Worker\s*\(/g), 'no Web Worker beyond ORT\'s unused ones (UXP has none)');
    assert.equal(/webpackChunk|ChunkLoadError|importScripts/.test(bundle), false, 'no webpack chunk loading');
    assert.equal(bundle.includes('file:///'), false, "no build machine path (ORT's import.meta.url is the plugin's)");
    assert.equal(bundle.includes('ag-psd'), false, 'the PSD writer is for the CLI and the browser harness only');
  });

  test('in a plain browser (no require): loads without throwing and mounts into #root', () => {
    const run = runBundle(false);
    assert.equal(run.setupCalls, 0);
    assert.equal(run.lookedUpRoot, true);
  });
});

describe('the mask model in the build', () => {
  test('dist/ holds the model, its description and the one plain ORT .wasm, and no other .wasm', () => {
    for (const file of ['models/jewelry-mask.onnx', 'models/jewelry-mask.json']) {
      assert.deepEqual(readFileSync(join(outDir, file)), readFileSync(join(root, file)), file);
    }
    const wasm = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.wasm')).map((f) => f.split(sep).join('/'));
    assert.deepEqual(wasm, ['ort/ort-wasm-simd-threaded.wasm']);
    assert.deepEqual(readFileSync(join(outDir, wasm[0])), readFileSync(join(root, 'node_modules', 'onnxruntime-web', 'dist', 'ort-wasm-simd-threaded.wasm')));
  });

  test('the bundle stays small: onnxruntime-web without WebGPU, React and the engine under 1 MB', () => {
    assert.ok(bundle.length < 1_000_000, `index.js is ${bundle.length} bytes`);
    assert.equal(bundle.includes('ort-wasm-simd-threaded.jsep'), false, 'the WebGPU (JSEP) build of ORT is not bundled');
    // The harness's WebGPU route (src/inference/webGpuMaskNetwork.ts) is not reached from the panel, and no chunk is split off.
    assert.equal(bundle.includes('ort-wasm-simd-threaded.asyncify'), false, 'the WebGPU build of ORT (onnxruntime-web/webgpu) is not bundled');
    assert.deepEqual(readdirSync(outDir).filter((f) => f.endsWith('.js')), ['index.js']);
  });
});

describe('the .ccx package', () => {
  test('is a zip of the build with manifest.json at its root, byte for byte, named after the plugin id and host', () => {
    const { bytes, fileName, files } = packageCcx(outDir);
    assert.equal(fileName, `${manifest.id}_PS.ccx`);
    const entries = unzipSync(bytes);
    assert.deepEqual(Object.keys(entries).sort(), files);
    assert.ok(files.includes('manifest.json') && files.includes('index.html') && files.includes('index.js'));
    for (const file of files) assert.deepEqual(entries[file], new Uint8Array(readFileSync(join(outDir, file))), file);
    assert.ok(files.every((f) => !f.startsWith('/') && !f.includes('..')), 'relative paths only');
    assert.ok(files.includes('models/jewelry-mask.onnx') && files.includes('models/jewelry-mask.json') && files.includes('ort/ort-wasm-simd-threaded.wasm'));
    // The .wasm compresses to about a third; with the model the package stays well under 10 MB.
    assert.ok(bytes.length < 10e6, `the .ccx is ${(bytes.length / 1e6).toFixed(1)} MB`);
  });

  test('refuses a folder that is not a build, with what to do', () => {
    const empty = mkdtempSync(join(tmpdir(), 'loupe-notdist-'));
    try {
      assert.throws(() => packageCcx(empty), /has no manifest\.json: run npm run build first/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
