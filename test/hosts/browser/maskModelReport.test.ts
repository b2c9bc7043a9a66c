/** The harness's report of the mask model: the backend the loader chose, and each inference's time per action. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportingMaskModel, type MaskModelReport } from '../../../src/hosts/browser/maskModelReport.ts';
import type { LoadedMaskModel } from '../../../src/inference/panelMaskModel.ts';

test('reports the backend on load and the inference times of the last action only', async () => {
  let clock = 0;
  const model: LoadedMaskModel = {
    label: 'jewelry-mask.onnx 9.9 on WebGPU',
    backend: { backend: 'webgpu', description: 'WebGPU (google swiftshader)' },
    network: { multiple: 32, run: async () => { clock += 40; return { logits: new Float32Array(1), family: new Float32Array(3) }; } },
  };
  const reports: MaskModelReport[] = [];
  let loads = 0;
  const load = reportingMaskModel(async () => { loads++; return model; }, (r) => reports.push(r), () => clock);
  const { network } = await load();
  assert.deepEqual(reports.at(-1), { backend: 'webgpu', description: 'WebGPU (google swiftshader)', inferenceMs: [] });
  await network.run(new Float32Array(3), 1, 1);
  await network.run(new Float32Array(3), 1, 1);
  assert.deepEqual(reports.at(-1)?.inferenceMs, [40, 40], 'the runs of one action');
  const next = await load();
  assert.deepEqual(reports.at(-1)?.inferenceMs, [], 'the next action asks for the model again: a new list');
  await next.network.run(new Float32Array(3), 1, 1);
  assert.deepEqual(reports.at(-1)?.inferenceMs, [40]);
  assert.equal(loads, 1);
});

test('a failed load is forgotten, so the next action tries again', async () => {
  let calls = 0;
  const load = reportingMaskModel(async () => { calls++; throw new Error('404'); }, () => {});
  await assert.rejects(load(), /404/);
  await assert.rejects(load(), /404/);
  assert.equal(calls, 2);
});
