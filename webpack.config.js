// Webpack config for the UXP panel bundle (ESM because package.json has "type": "module").
// One chunk, no eval (UXP forbids it), host modules left to UXP's require(), static assets copied to dist/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';
import CopyPlugin from 'copy-webpack-plugin';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Modules the UXP runtime provides through require(); never bundled. */
export const UXP_EXTERNALS = ['photoshop', 'uxp', 'fs', 'os', 'path', 'process', 'shell'];

/**
 * onnxruntime-web's browser build without WebGPU: its glue matches ort-wasm-simd-threaded.wasm, the one
 * .wasm the panel ships and hands over as bytes (the default build wants the 28 MB JSEP .wasm).
 */
const ORT_ALIAS = { 'onnxruntime-web$': 'onnxruntime-web/wasm' };

/**
 * ORT's code mentions its .wasm and worker scripts through `new URL(…, import.meta.url)` and `new Worker`
 * for paths the panel never takes (wasmBinary given, one thread, no proxy): webpack must not turn them
 * into extra assets or chunks.
 */
const ORT_PARSER = { javascript: { url: false, worker: false } };

/**
 * What ORT's `import.meta.url` reads in the one-file bundle: the bundle's own address, instead of webpack's
 * default (the build machine's file:// path of ORT's source, which would also send ORT down its Node paths).
 */
const importMetaUrl = (url) => ({ 'import.meta.url': url });

/** The mask model and the runtime's .wasm, beside index.js: the panel reads them with fs.readFile("plugin:/…"). */
export const MODEL_FILES = [
  { from: 'models/jewelry-mask.onnx', to: 'models/jewelry-mask.onnx' },
  { from: 'models/jewelry-mask.json', to: 'models/jewelry-mask.json' },
  { from: 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', to: 'ort/ort-wasm-simd-threaded.wasm' },
];

/** @type {(env: Record<string, unknown>, argv: { mode?: string }) => import('webpack').Configuration} */
export default (_env, argv) => {
  if (_env?.harness) return harnessConfig(argv);
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    context: root,
    target: 'web',
    entry: './panels/index.tsx',
    // No eval-based devtools: UXP disallows code generation from strings.
    devtool: production ? false : 'inline-source-map',
    output: {
      path: path.resolve(root, 'dist'),
      filename: 'index.js',
      clean: true,
    },
    resolve: {
      extensions: ['.tsx', '.ts', '.js'],
      // Sources import siblings with .ts extensions sometimes (allowImportingTsExtensions).
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
      alias: ORT_ALIAS,
    },
    module: {
      parser: ORT_PARSER,
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: 'ts-loader', options: { transpileOnly: true } },
        },
      ],
    },
    externalsType: 'commonjs',
    externals: Object.fromEntries(UXP_EXTERNALS.map((name) => [name, `commonjs ${name}`])),
    // UXP does not load lazy chunks; keep everything in index.js.
    optimization: { splitChunks: false, runtimeChunk: false },
    performance: { hints: false },
    plugins: [
      new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
      new webpack.DefinePlugin({ 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development'), ...importMetaUrl(JSON.stringify('plugin:/index.js')) }),
      new CopyPlugin({
        patterns: [
          { from: 'manifest.json', to: 'manifest.json' },
          // Copied verbatim (flagged as already minimized so no minimizer rewrites the markup).
          { from: 'plugin/index.html', to: 'index.html', info: { minimized: true } },
          { from: 'plugin/icons', to: 'icons' },
          ...MODEL_FILES.map((file) => ({ ...file, info: { minimized: true } })),
        ],
      }),
    ],
  };
};

/** Where `npm run dev` and the end-to-end tests build the browser harness. */
export const HARNESS_DIR = path.resolve(root, 'dist-harness');

/**
 * The browser harness: the same panel next to an in-memory document (src/hosts/browser), for a plain
 * browser. No UXP externals: nothing here may require a host module.
 * @type {(argv: { mode?: string }) => import('webpack').Configuration}
 */
export function harnessConfig(argv) {
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    context: root,
    target: 'web',
    entry: './src/hosts/browser/harness/main.tsx',
    devtool: production ? false : 'source-map',
    output: { path: HARNESS_DIR, filename: 'harness.js', clean: true },
    resolve: { extensions: ['.tsx', '.ts', '.js'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] }, alias: ORT_ALIAS },
    module: {
      parser: ORT_PARSER,
      rules: [{ test: /\.tsx?$/, exclude: /node_modules/, use: { loader: 'ts-loader', options: { transpileOnly: true } } }],
    },
    performance: { hints: false },
    // Not limited to one chunk: onnxruntime-web's WebGPU build is a chunk of its own, fetched only in a
    // browser with a WebGPU adapter (src/inference/webGpuMaskNetwork.ts).
    plugins: [
      new webpack.DefinePlugin({ 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development'), ...importMetaUrl('self.location.href') }),
      new CopyPlugin({ patterns: [{ from: 'src/hosts/browser/harness/index.html', to: 'index.html', info: { minimized: true } }] }),
    ],
  };
}
