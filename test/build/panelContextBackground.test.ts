/**
 * The panel's Context background against a scripted host and local servers: studio by default, the piece
 * pixel-exact in the recipe, progress through the network wait, Cancel with nothing written, errors in one
 * line, Generative Fill only in Photoshop, the manifest's domains, and the API key never in the recipe,
 * the outcome, the panel state, an error or the console.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { CAPABILITIES } from '../../panels/capabilities.tsx';
import { createPanelStore } from '../../panels/store.ts';
import { memoryKeyStore } from '../../panels/keyStore.ts';
import {
  CONTEXT_BACKGROUND_DEFAULTS, OPENAI_KEY_NAME, providerChoices, scenePrompt, workflowFileProblem, type ContextBackgroundOptions,
} from '../../panels/actions/contextBackgroundAction.ts';
import type { ActionOutcome, ActionRequest, Host, Job } from '../../panels/host.ts';
import type { Recipe } from '../../src/recipe/recipe.ts';
import { missingDomainProblem } from '../../src/hosts/generators/networkDomains.ts';
import { listen, parseForm, fakeGenerate } from '../hosts/generators/fakeServers.ts';
import { comfy } from '../hosts/generators/fakeComfyUi.ts';
import { DEFAULT_COMFYUI_WORKFLOW } from '../../src/hosts/generators/comfyuiWorkflow.ts';
import { ringPhoto } from '../hosts/generators/testPhoto.ts';

const KEY = 'sk-loupe-panel-NEVER-SHOWN-41c9';

/** A host that plans on the ring photo with its exact mask and keeps the recipe it would write. */
function scriptedHost(extra: Partial<Host> = {}) {
  const { image, mask } = ringPhoto();
  const written: Recipe[] = [];
  const host: Host = {
    kind: 'browser',
    label: 'Scripted host',
    keys: memoryKeyStore(),
    async runAction(request: ActionRequest, job: Job): Promise<ActionOutcome> {
      const planned = await request.plan({ image, jewelryMask: mask, jewelryMaskSource: 'the test mask', howToGiveMask: 'give a mask' }, job);
      written.push(planned.recipe);
      return { summary: planned.summary, historyName: request.historyName, groupName: planned.recipe.groupName, layers: planned.recipe.layers.map((l) => l.name), selections: (planned.recipe.selections ?? []).map((s) => s.name) };
    },
    runCheck: () => Promise.reject(new Error('not used')),
    ...extra,
  };
  return { host, written, image, mask };
}

async function run(host: Host, options: Partial<ContextBackgroundOptions>) {
  const store = createPanelStore(host, CAPABILITIES);
  store.getState().setOptions('context-background', { ...CONTEXT_BACKGROUND_DEFAULTS, ...options });
  const messages: string[] = [];
  store.subscribe((s) => { if (s.running && messages.at(-1) !== s.running.message) messages.push(s.running.message); });
  const done = store.getState().run('context-background');
  return { store, messages, done };
}

/** Everything console.* prints while a test runs. */
let printed: string[] = [];
const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
beforeEach(() => {
  printed = [];
  for (const name of Object.keys(originals) as (keyof typeof originals)[]) console[name] = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
});
afterEach(() => Object.assign(console, originals));

/** A recipe as text without its pixels (typed arrays), to search for a key. */
function recipeText(recipe: Recipe): string {
  return JSON.stringify(recipe, (_k, v) => (ArrayBuffer.isView(v) ? `<${v.byteLength} bytes>` : v));
}

test('the default is the offline studio backdrop: the scene behind, the piece the photo pixel for pixel', async () => {
  assert.equal(CONTEXT_BACKGROUND_DEFAULTS.provider, 'studio');
  const { host, written, image, mask } = scriptedHost();
  const { store, done } = await run(host, {});
  await done;
  assert.equal(store.getState().error, null);
  const [recipe] = written;
  assert.equal(recipe.groupName, 'Loupe · Context background');
  assert.deepEqual(recipe.layers.map((l) => l.name), ['Context background', 'Piece · original pixels']);
  const [scene, piece] = recipe.layers;
  assert.ok(scene.kind === 'pixel' && scene.image.data.every((v) => v === 255), 'marketplace white, RGB 255');
  assert.ok(piece.kind === 'pixel' && piece.mask === mask);
  assert.deepEqual(piece.kind === 'pixel' && piece.image.data, image.data, "the piece layer is the photo's own pixels");
  const outcome = store.getState().outcome;
  assert.equal(outcome?.kind === 'written' && outcome.written.summary.headline, 'Context background: studio backdrop (marketplace-white)');
});

test('OpenAI-compatible: progress through the wait, the key sent only as the Authorization header, never shown or kept', async () => {
  const server = await listen(async (req, res) => {
    const form = await parseForm(req);
    const maskRgba = await sharp(new Uint8Array(await (form.get('mask') as Blob).arrayBuffer())).ensureAlpha().raw().toBuffer();
    const out = await fakeGenerate(new Uint8Array(await (form.get('image') as Blob).arrayBuffer()), (i) => maskRgba[4 * i + 3] === 0, 'none');
    await new Promise((r) => setTimeout(r, 1200)); // long enough for a heartbeat
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ created: 1, data: [{ b64_json: out.toString('base64') }] }));
  });
  try {
    const { host, written } = scriptedHost();
    await host.keys!.set(OPENAI_KEY_NAME, KEY);
    const { store, messages, done } = await run(host, { provider: 'openai', openaiUrl: `${server.url}/v1`, preset: 'linen', prompt: 'morning light' });
    await done;
    assert.equal(store.getState().error, null);
    assert.equal(server.requests[0].headers.authorization, `Bearer ${KEY}`);
    assert.equal((await parseForm(server.requests[0])).get('prompt'), scenePrompt({ ...CONTEXT_BACKGROUND_DEFAULTS, preset: 'linen', prompt: 'morning light' }));
    assert.ok(messages.includes('Queued'), messages.join(' | '));
    assert.ok(messages.some((m) => /^Sending to the image service · \d+ s$/.test(m)), messages.join(' | '));
    assert.ok(messages.includes('Compositing'));
    const state = store.getState();
    for (const [what, text] of [
      ['recipe', recipeText(written[0])], ['outcome', JSON.stringify(state.outcome)], ['options', JSON.stringify(state.options)],
      ['console', printed.join('\n')], ['progress', messages.join('\n')],
    ]) assert.ok(!text.includes(KEY) && !text.includes(KEY.slice(8)), `no key in the ${what}`);
    assert.match(JSON.stringify(state.outcome), /Scene: morning light, natural undyed linen/);
  } finally {
    await server.close();
  }
});

test('a server that echoes the key in its error: the panel shows one line without it, nothing written', async () => {
  const server = await listen((req, res) => {
    res.statusCode = 401;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7)}` } }));
  });
  try {
    const { host, written } = scriptedHost();
    await host.keys!.set(OPENAI_KEY_NAME, KEY);
    const { store, done } = await run(host, { provider: 'openai', openaiUrl: `${server.url}/v1` });
    await done;
    const error = store.getState().error ?? '';
    assert.match(error, /^The image service at 127\.0\.0\.1:\d+ answered HTTP 401: Incorrect API key provided: ••• ?; check the provider settings and the prompt\.$/);
    assert.ok(!error.includes(KEY) && !printed.join('\n').includes(KEY));
    assert.equal(written.length, 0);
  } finally {
    await server.close();
  }
});

test('Cancel during the network wait: the request is dropped, nothing is written, the panel says so', async () => {
  const server = await listen(() => { /* never answers */ });
  try {
    const { host, written } = scriptedHost();
    const { store, messages, done } = await run(host, { provider: 'comfyui', comfyuiUrl: server.url });
    while (!messages.some((m) => m.startsWith('Uploading to ComfyUI'))) await new Promise((r) => setTimeout(r, 20));
    const cancelledAt = Date.now();
    store.getState().cancel();
    await done;
    assert.ok(Date.now() - cancelledAt < 2000, 'heard within the heartbeat');
    assert.equal(store.getState().note, 'Cancelled: nothing was changed.');
    assert.equal(store.getState().error, null);
    assert.equal(written.length, 0);
  } finally {
    await server.close();
  }
});

test('every refusal is one line saying what to do, before any request', async () => {
  const { host, written } = scriptedHost();
  const cases: [Partial<ContextBackgroundOptions>, RegExp][] = [
    [{ provider: 'openai' }, /^OpenAI needs your API key: enter it under API key and save it \(memory only, until this page closes\), then run again\.$/],
    [{ provider: 'comfyui', comfyuiUrl: 'localhost 8188' }, /^The ComfyUI server URL "localhost 8188" is not a web address: enter one like http:\/\/127\.0\.0\.1:8188, then run again\.$/],
    [{ provider: 'comfyui', preset: 'own-words', prompt: '  ' }, /^Say what the scene should be: pick a preset, or type it under Scene, then run again\.$/],
    [{ provider: 'generative-fill' }, /^Generative Fill is only available in Photoshop: choose Studio backdrop, ComfyUI or OpenAI-compatible here\.$/],
  ];
  for (const [options, expected] of cases) {
    const { store, done } = await run(host, options);
    await done;
    assert.match(store.getState().error ?? '', expected);
    assert.ok(!(store.getState().error ?? '').includes('\n'));
  }
  assert.equal(written.length, 0);
});

test('a host that may not reach the address says which domain the manifest lacks', async () => {
  const { host, written } = scriptedHost({ background: { checkNetworkAccess: (url) => { const p = missingDomainProblem(url); if (p) throw new Error(p); } } });
  await host.keys!.set(OPENAI_KEY_NAME, KEY);
  const { store, done } = await run(host, { provider: 'openai', openaiUrl: 'https://llm.studio.example:8443/v1' });
  await done;
  assert.equal(store.getState().error, 'Photoshop only lets Loupe reach the addresses its manifest declares, and https://llm.studio.example:8443 is not one of them: '
    + 'add "https://llm.studio.example:8443" to requiredPermissions.network.domains in Loupe\'s manifest.json and reload the plugin, or use http://127.0.0.1:8188, http://localhost:8188, https://api.openai.com.');
  assert.equal(missingDomainProblem('http://127.0.0.1:8188/prompt'), null);
  assert.equal(missingDomainProblem('https://api.openai.com/v1'), null);
  assert.notEqual(missingDomainProblem('http://127.0.0.1:8189'), null, 'another port is another entry');
  assert.equal(written.length, 0);
});

test('Generative Fill is offered only in Photoshop, studio first everywhere; the scene joins own words and preset', () => {
  assert.deepEqual(providerChoices('photoshop').map((c) => c.value), ['studio', 'generative-fill', 'comfyui', 'openai']);
  assert.deepEqual(providerChoices('browser').map((c) => c.value), ['studio', 'comfyui', 'openai']);
  assert.equal(scenePrompt({ ...CONTEXT_BACKGROUND_DEFAULTS, preset: 'own-words', prompt: ' black velvet ' }), 'black velvet');
  assert.match(scenePrompt({ ...CONTEXT_BACKGROUND_DEFAULTS, preset: 'marble', prompt: '' }), /^polished white Carrara marble/);
});

test("ComfyUI with the retoucher's own workflow: queued with the photo, mask and scene filled in, named in the summary; Loupe's default otherwise", async () => {
  // The user's workflow: Loupe's default with another sampler, seed and checkpoint (what a studio changes).
  const own = structuredClone(DEFAULT_COMFYUI_WORKFLOW) as Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  own['3'].inputs = { ...own['3'].inputs, seed: 4242, sampler_name: 'dpmpp_2m' };
  own['4'].inputs = { ...own['4'].inputs, ckpt_name: 'studio-jewelry-inpaint.safetensors' };
  const c = await comfy();
  try {
    const { host, written } = scriptedHost();
    const comfyuiWorkflow = { name: 'studio-inpaint.api.json', json: JSON.stringify(own) };
    const { store, done } = await run(host, { provider: 'comfyui', comfyuiUrl: c.server.url, comfyuiWorkflow, preset: 'marble' });
    await done;
    assert.equal(store.getState().error, null);
    const queued = c.queued() as typeof own;
    assert.equal(queued['3'].inputs.seed, 4242);
    assert.equal(queued['4'].inputs.ckpt_name, 'studio-jewelry-inpaint.safetensors');
    assert.equal(queued['6'].inputs.text, scenePrompt({ ...CONTEXT_BACKGROUND_DEFAULTS, preset: 'marble' }));
    assert.ok(c.uploads.has(queued['11'].inputs.image as string) && c.uploads.has(queued['12'].inputs.image as string), 'photo and mask uploaded and named');
    assert.equal(written.length, 1);
    const outcome = store.getState().outcome;
    assert.ok(outcome?.kind === 'written' && outcome.written.summary.details.includes('ComfyUI workflow: studio-inpaint.api.json'));
  } finally {
    await c.server.close();
  }
  const d = await comfy();
  try {
    const { host } = scriptedHost();
    await (await run(host, { provider: 'comfyui', comfyuiUrl: d.server.url })).done;
    assert.deepEqual((d.queued() as typeof own)['4'].inputs, DEFAULT_COMFYUI_WORKFLOW['4'].inputs, "Loupe's default workflow");
  } finally {
    await d.server.close();
  }
});

test('a workflow file is checked when loaded: one sentence saying what to export instead', () => {
  assert.equal(workflowFileProblem('ok.json', JSON.stringify(DEFAULT_COMFYUI_WORKFLOW)), null);
  assert.match(workflowFileProblem('notes.json', '{ not json') ?? '', /^"notes\.json" is not JSON: in ComfyUI use Workflow › Export \(API\) and load that file\.$/);
  assert.match(workflowFileProblem('ui.json', JSON.stringify({ nodes: [], links: [], version: 0.4 })) ?? '', /^"ui\.json" is a ComfyUI workflow in its editor format: use Workflow › Export \(API\) instead/);
  assert.match(workflowFileProblem('noimage.json', JSON.stringify({ 1: { class_type: 'KSampler', inputs: {} } })) ?? '', /^"noimage\.json": the ComfyUI workflow has no "\{\{image\}\}": put it as the image of its LoadImage node\.$/);
  assert.match(workflowFileProblem('list.json', '[1, 2]') ?? '', /must be a JSON object in API format/);
});

test('a remembered workflow that has been damaged since is refused in one line before anything is sent', async () => {
  const server = await listen(() => { throw new Error('nothing should reach the server'); });
  try {
    const { host, written } = scriptedHost();
    const { store, done } = await run(host, { provider: 'comfyui', comfyuiUrl: server.url, comfyuiWorkflow: { name: 'studio.api.json', json: '{ "1": ' } });
    await done;
    assert.equal(store.getState().error, '"studio.api.json" is not JSON: in ComfyUI use Workflow › Export (API) and load that file. Load your workflow again, or choose "Use Loupe\'s default".');
    assert.equal(server.requests.length, 0);
    assert.equal(written.length, 0);
  } finally {
    await server.close();
  }
});
