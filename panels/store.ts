/**
 * The panel's state (zustand): options per action, the running job (progress, Cancel), the last outcome
 * and the last error, in plain words. One job at a time: a second Run while one runs is ignored.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AnyCapability } from './capabilities';
import { CancelledError, cancelSignal, type ActionOutcome, type BackgroundHost, type Host, type Job, type PanelOutcome } from './host';
import type { KeyStore } from './keyStore';
import { rememberOptions, rememberedOptions, type OptionsStorage } from './optionsMemory';

/** The last check's "Show changes on the image": which heatmap, whether it shows, what Photoshop wrote. */
export interface ChangesState {
  readonly viewId: string;
  /** Drawn over the preview (browser harness). */
  readonly shown: boolean;
  /** Written as the hidden group (Photoshop); null until then. */
  readonly written: ActionOutcome | null;
}

export interface RunningJob {
  readonly actionId: string;
  readonly title: string;
  readonly fraction: number;
  readonly message: string;
  readonly cancelling: boolean;
}

export interface PanelState {
  readonly options: Readonly<Record<string, unknown>>;
  readonly running: RunningJob | null;
  readonly outcome: (PanelOutcome & { readonly actionTitle: string }) | null;
  readonly error: string | null;
  /** A quiet line, e.g. "Cancelled: nothing was changed." */
  readonly note: string | null;
  /** Small picture of the document after the last write, when the host offers one. */
  readonly previewUrl: string | null;
  /** How the host shows a check's heatmaps ('layers' Photoshop, 'preview' browser), null when it cannot. */
  readonly changesKind: 'layers' | 'preview' | null;
  /** Set while the outcome is a check with heatmaps. */
  readonly changes: ChangesState | null;
  /** The host's kind and key store, for options that depend on them (Context background). */
  readonly hostKind: Host['kind'] | null;
  readonly keys: KeyStore | null;
  /** The host's file picker for text files (a ComfyUI workflow), where it has one. */
  readonly openTextFile: BackgroundHost['openTextFile'] | null;
  setOptions(actionId: string, value: unknown): void;
  run(actionId: string): Promise<void>;
  cancel(): void;
  /** Photoshop: writes the heatmaps as the hidden group (a job, with progress and Cancel); browser: draws the chosen one. */
  showChanges(): Promise<void>;
  /** Browser: takes the heatmap off the preview. */
  hideChanges(): void;
  setChangesView(viewId: string): void;
}

export type PanelStore = StoreApi<PanelState>;

/** `memory`: where options are remembered between sessions (the Photoshop panel's localStorage); none in tests. */
export function createPanelStore(host: Host | null, capabilities: readonly AnyCapability[], memory: OptionsStorage | null = null): PanelStore {
  const jobs: Jobs = { controller: null };
  return createStore<PanelState>()((set, get) => ({
    options: rememberedOptions(memory, capabilities),
    running: null,
    outcome: null,
    error: null,
    note: null,
    previewUrl: null,
    changesKind: host?.overlay?.kind ?? null,
    changes: null,
    hostKind: host?.kind ?? null,
    keys: host?.keys ?? null,
    openTextFile: host?.background?.openTextFile ?? null,

    setOptions(actionId, value) {
      set({ options: { ...get().options, [actionId]: value } });
      rememberOptions(memory, get().options);
    },

    async run(actionId) {
      const capability = capabilities.find((c) => c.id === actionId);
      if (!capability || get().running) return;
      if (!host) {
        set({ error: 'Loupe is not connected to a document: open the panel in Photoshop (or run npm run dev for the browser harness).' });
        return;
      }
      if (get().changes?.shown) get().hideChanges(); // the heatmap belongs to the outcome being replaced
      set({ previewUrl: null, changes: null });
      await runJob(set, get, jobs, actionId, capability.title, async (job) => {
        const outcome = await capability.run(host, get().options[actionId], job);
        const overlay = outcome.kind === 'checked' ? outcome.report.overlay : undefined;
        set({ outcome: { ...outcome, actionTitle: capability.title }, changes: overlay ? { viewId: overlay.views[0].id, shown: false, written: null } : null });
        if (outcome.kind === 'written' && host.preview) set({ previewUrl: await previewOrNull(host, PREVIEW_SIDE) });
      });
    },

    async showChanges() {
      const { outcome, changes, running } = get();
      const overlay = outcome?.kind === 'checked' ? outcome.report.overlay : undefined;
      const shower = host?.overlay;
      if (!overlay || !changes || !shower || running) return;
      if (shower.kind === 'preview') {
        try {
          shower.show(overlay, changes.viewId);
          set({ changes: { ...changes, shown: true }, error: null });
        } catch (error) {
          set({ error: plainMessage(error) });
        }
        return;
      }
      if (changes.written) return; // once per check: a second group would only duplicate the first
      await runJob(set, get, jobs, 'show-changes', 'Show changes on the image', async (job) => {
        const written = await shower.write(overlay, job);
        const now = get().changes;
        if (now) set({ changes: { ...now, written } });
      });
    },

    hideChanges() {
      const { outcome, changes } = get();
      const shower = host?.overlay;
      if (!changes || shower?.kind !== 'preview' || outcome?.kind !== 'checked' || !outcome.report.overlay) return;
      shower.show(outcome.report.overlay, null);
      set({ changes: { ...changes, shown: false } });
    },

    setChangesView(viewId) {
      const changes = get().changes;
      if (!changes) return;
      set({ changes: { ...changes, viewId } });
      if (changes.shown) void get().showChanges();
    },

    cancel() {
      const running = get().running;
      if (!running || !jobs.controller) return;
      jobs.controller.cancel();
      set({ running: { ...running, cancelling: true, message: 'Cancelling…' } });
    },
  }));
}

interface Jobs {
  controller: ReturnType<typeof cancelSignal> | null;
}

/** One job at a time, with progress, Cancel and errors in plain words. */
async function runJob(
  set: StoreApi<PanelState>['setState'], get: StoreApi<PanelState>['getState'], jobs: Jobs,
  actionId: string, title: string, work: (job: Job) => Promise<void>,
): Promise<void> {
  jobs.controller = cancelSignal();
  const { signal } = jobs.controller;
  set({ running: { actionId, title, fraction: 0, message: 'Starting', cancelling: false }, error: null, note: null });
  try {
    await work({
      signal,
      progress: (fraction, message) => {
        const running = get().running;
        // Once Cancel is pressed the line keeps saying so until the host stops.
        if (running) set({ running: { ...running, fraction, message: running.cancelling ? running.message : message } });
      },
    });
  } catch (error) {
    if (error instanceof CancelledError || signal.aborted) set({ note: 'Cancelled: nothing was changed.' });
    else set({ error: plainMessage(error) });
  } finally {
    jobs.controller = null;
    set({ running: null });
  }
}

/** Long side of the panel's result thumbnail, in pixels (a docked panel is about 300 px wide). */
const PREVIEW_SIDE = 280;

/** A preview is a nicety: if Photoshop cannot give one, the panel simply shows none. */
async function previewOrNull(host: Host, side: number): Promise<string | null> {
  try {
    return (await host.preview?.(side)) ?? null;
  } catch {
    return null;
  }
}

/** One sentence, capitalised; never a stack trace. */
export function plainMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const line = raw.split('\n')[0].trim() || 'Something went wrong: run again, and if it persists, restart Photoshop.';
  return line.charAt(0).toUpperCase() + line.slice(1);
}
