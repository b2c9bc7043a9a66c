/**
 * The panel's state (zustand): options per action, the running job (progress, Cancel), the last outcome
 * and the last error, in plain words. One job at a time: a second Run while one runs is ignored.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AnyCapability } from './capabilities';
import { CancelledError, cancelSignal, type Host, type PanelOutcome } from './host';

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
  setOptions(actionId: string, value: unknown): void;
  run(actionId: string): Promise<void>;
  cancel(): void;
}

export type PanelStore = StoreApi<PanelState>;

export function createPanelStore(host: Host | null, capabilities: readonly AnyCapability[]): PanelStore {
  let controller: ReturnType<typeof cancelSignal> | null = null;
  return createStore<PanelState>()((set, get) => ({
    options: Object.fromEntries(capabilities.map((c) => [c.id, c.defaults])),
    running: null,
    outcome: null,
    error: null,
    note: null,
    previewUrl: null,

    setOptions(actionId, value) {
      set({ options: { ...get().options, [actionId]: value } });
    },

    async run(actionId) {
      const capability = capabilities.find((c) => c.id === actionId);
      if (!capability || get().running) return;
      if (!host) {
        set({ error: 'Loupe is not connected to a document: open the panel in Photoshop (or run npm run dev for the browser harness).' });
        return;
      }
      controller = cancelSignal();
      const { signal } = controller;
      set({ running: { actionId, title: capability.title, fraction: 0, message: 'Starting', cancelling: false }, error: null, note: null, previewUrl: null });
      try {
        const outcome = await capability.run(host, get().options[actionId], {
          signal,
          progress: (fraction, message) => {
            const running = get().running;
            // Once Cancel is pressed the line keeps saying so until the host stops.
            if (running) set({ running: { ...running, fraction, message: running.cancelling ? running.message : message } });
          },
        });
        set({ outcome: { ...outcome, actionTitle: capability.title } });
        if (outcome.kind === 'written' && host.preview) set({ previewUrl: await previewOrNull(host, PREVIEW_SIDE) });
      } catch (error) {
        if (error instanceof CancelledError || signal.aborted) set({ note: 'Cancelled: nothing was changed.' });
        else set({ error: plainMessage(error) });
      } finally {
        controller = null;
        set({ running: null });
      }
    },

    cancel() {
      const running = get().running;
      if (!running || !controller) return;
      controller.cancel();
      set({ running: { ...running, cancelling: true, message: 'Cancelling…' } });
    },
  }));
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
