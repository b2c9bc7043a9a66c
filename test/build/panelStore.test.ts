/** The panel's zustand store against a scripted host: progress, outcome, preview, Cancel, errors, one job at a time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAPABILITIES } from '../../panels/capabilities.tsx';
import { createPanelStore } from '../../panels/store.ts';
import { OPTIONS_KEY } from '../../panels/optionsMemory.ts';
import { RETOUCH_METAL_DEFAULTS } from '../../panels/actions/retouchMetalAction.ts';
import { CancelledError, throwIfCancelled, type ActionOutcome, type ActionRequest, type Host, type Job } from '../../panels/host.ts';

const written: ActionOutcome = {
  summary: { headline: 'Detected 18K yellow gold', details: [] },
  historyName: 'Loupe: Retouch metal',
  groupName: 'Loupe · Retouch metal',
  layers: ['Metal tone · 18K yellow gold'],
  selections: ['Jewelry'],
};

function host(runAction: (job: Job, request: ActionRequest) => Promise<ActionOutcome>, extra: Partial<Host> = {}): Host & { calls: number } {
  const h = {
    kind: 'browser' as const,
    label: 'Scripted host',
    calls: 0,
    runAction: (request: ActionRequest, job: Job) => {
      h.calls++;
      return runAction(job, request);
    },
    runCheck: () => Promise.reject(new Error('not used')),
    ...extra,
  };
  return h;
}

test('a run shows its progress, then what was written and the preview; options are kept per action', async () => {
  const seen: string[] = [];
  let historyName = '';
  const h = host(async (job, request) => {
    historyName = request.historyName;
    job.progress(0.5, 'Measuring the metal');
    return written;
  }, { preview: async () => 'data:image/jpeg;base64,AAAA' });
  const store = createPanelStore(h, CAPABILITIES);
  store.subscribe((s) => { if (s.running) seen.push(s.running.message); });
  store.getState().setOptions('retouch-metal', { metal: 'platinum', leaveStonesUntouched: false });
  assert.deepEqual(store.getState().options['retouch-metal'], { metal: 'platinum', leaveStonesUntouched: false });
  await store.getState().run('retouch-metal');
  const s = store.getState();
  assert.deepEqual(seen.slice(0, 2), ['Starting', 'Measuring the metal']);
  assert.equal(s.running, null);
  assert.equal(s.outcome?.kind, 'written');
  assert.equal(s.outcome?.kind === 'written' && s.outcome.written.groupName, 'Loupe · Retouch metal');
  assert.equal(s.previewUrl, 'data:image/jpeg;base64,AAAA');
  assert.equal(s.error, null);
  assert.equal(historyName, 'Loupe: Retouch metal');
});

test('Cancel: the host sees it at its next step, the panel says nothing was changed, no error', async () => {
  let proceed: () => void = () => {};
  const h = host(async (job) => {
    await new Promise<void>((resolve) => { proceed = resolve; });
    throwIfCancelled(job.signal);
    return written;
  });
  const store = createPanelStore(h, CAPABILITIES);
  const running = store.getState().run('retouch-metal');
  store.getState().cancel();
  assert.equal(store.getState().running?.cancelling, true);
  assert.equal(store.getState().running?.message, 'Cancelling…');
  proceed();
  await running;
  assert.equal(store.getState().note, 'Cancelled: nothing was changed.');
  assert.equal(store.getState().error, null);
  assert.equal(store.getState().outcome, null);
});

test('errors are one plain line, capitalised, without the stack', async () => {
  const h = host(async () => { throw new Error('the layer "Ring" is hidden: show it, then run again.\n    at readTarget (x.ts:1:1)'); });
  const store = createPanelStore(h, CAPABILITIES);
  await store.getState().run('retouch-metal');
  assert.equal(store.getState().error, 'The layer "Ring" is hidden: show it, then run again.');
  assert.equal(store.getState().running, null);
});

test('one job at a time: a second Run while one runs is ignored', async () => {
  let proceed: () => void = () => {};
  const h = host(async () => { await new Promise<void>((resolve) => { proceed = resolve; }); return written; });
  const store = createPanelStore(h, CAPABILITIES);
  const first = store.getState().run('retouch-metal');
  await store.getState().run('retouch-metal');
  await store.getState().run('fidelity-check');
  proceed();
  await first;
  assert.equal(h.calls, 1);
});

test('a preview that fails is simply absent; the outcome stands', async () => {
  const h = host(async () => written, { preview: async () => { throw new Error('encodeImageData failed'); } });
  const store = createPanelStore(h, CAPABILITIES);
  await store.getState().run('retouch-metal');
  assert.equal(store.getState().previewUrl, null);
  assert.equal(store.getState().outcome?.kind, 'written');
  assert.equal(store.getState().error, null);
});

test('without a host, Run explains how to get a document', async () => {
  const store = createPanelStore(null, CAPABILITIES);
  await store.getState().run('retouch-metal');
  assert.match(store.getState().error ?? '', /^Loupe is not connected to a document/);
});

test('CancelledError reads as a sentence too', () => {
  assert.equal(new CancelledError().message, 'Cancelled: nothing was changed.');
});

test("the host's kind and key store reach the options (Context background); without a host there are none", async () => {
  const keys = { where: 'test store', get: async () => null, set: async () => {}, remove: async () => {} };
  const store = createPanelStore(host(async () => written, { kind: 'photoshop', keys }), CAPABILITIES);
  assert.equal(store.getState().hostKind, 'photoshop');
  assert.equal(store.getState().keys, keys);
  const bare = createPanelStore(null, CAPABILITIES);
  assert.equal(bare.getState().hostKind, null);
  assert.equal(bare.getState().keys, null);
  assert.equal((bare.getState().options['context-background'] as { provider: string }).provider, 'studio', 'studio backdrop unless configured');
});

test('options are remembered between sessions field by field; a stale or foreign value falls back to its default; no storage, no memory', () => {
  const saved = new Map<string, string>();
  const storage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v) };
  const first = createPanelStore(host(async () => written), CAPABILITIES, storage);
  first.getState().setOptions('retouch-metal', { metal: 'platinum', leaveStonesUntouched: false });
  const workflow = { name: 'mine.api.json', json: '{}' };
  first.getState().setOptions('context-background', { ...(first.getState().options['context-background'] as object), provider: 'comfyui', comfyuiUrl: 'http://127.0.0.1:8190', comfyuiWorkflow: workflow });

  const next = createPanelStore(host(async () => written), CAPABILITIES, storage);
  assert.deepEqual(next.getState().options['retouch-metal'], { metal: 'platinum', leaveStonesUntouched: false });
  const background = next.getState().options['context-background'] as Record<string, unknown>;
  assert.equal(background.provider, 'comfyui');
  assert.equal(background.comfyuiUrl, 'http://127.0.0.1:8190');
  assert.deepEqual(background.comfyuiWorkflow, workflow);

  // An older version's field, a wrong type, garbage: each falls back to the default, the rest stays.
  saved.set(OPTIONS_KEY, JSON.stringify({ 'retouch-metal': { metal: 42, leaveStonesUntouched: false, removed: 'x' }, sharpen: 'nonsense' }));
  const stale = createPanelStore(host(async () => written), CAPABILITIES, storage).getState().options;
  assert.deepEqual(stale['retouch-metal'], { ...RETOUCH_METAL_DEFAULTS, leaveStonesUntouched: false });
  assert.deepEqual(stale.sharpen, CAPABILITIES.find((c) => c.id === 'sharpen')?.defaults);
  saved.set(OPTIONS_KEY, '{ not json');
  assert.deepEqual(createPanelStore(host(async () => written), CAPABILITIES, storage).getState().options['retouch-metal'], RETOUCH_METAL_DEFAULTS);

  const forgetful = createPanelStore(host(async () => written), CAPABILITIES);
  forgetful.getState().setOptions('retouch-metal', { metal: 'silver', leaveStonesUntouched: true });
  assert.deepEqual(createPanelStore(host(async () => written), CAPABILITIES).getState().options['retouch-metal'], RETOUCH_METAL_DEFAULTS);
});
