/**
 * Entry of a test-only bundle built with the panel's webpack config (test/build/uxpModel.test.ts): loads the
 * mask model exactly as the panel does in Photoshop (UXP fs, plugin:/ paths, sha256, onnxruntime-web from
 * the bundle) and runs it once, exposing the result on globalThis.
 */
import { loadUxpFs } from '../../src/hosts/photoshop/loadPhotoshopModules';
import { pluginMaskModel } from '../../src/hosts/photoshop/pluginFiles';

(globalThis as { loupeProbe?: unknown }).loupeProbe = async () => {
  const { network, label } = await pluginMaskModel(loadUxpFs())();
  const w = 64, h = 64;
  const planes = new Float32Array(3 * w * h).map((_, i) => ((i * 37) % 256) / 255);
  const { logits, family } = await network.run(planes, w, h);
  return { label, logits: Array.from(logits), family: Array.from(family) };
};
