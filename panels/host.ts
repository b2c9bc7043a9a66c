/**
 * The panel talks to its document through a Host: Photoshop (src/hosts/photoshop) or the browser harness
 * (src/hosts/browser). The host reads the pixels, the action (pure engine code) plans a recipe, the host
 * writes it — in Photoshop as one history step. The panel never touches `photoshop` or `uxp` itself.
 */
import type { Mask, Rgba8Image, RgbaImage } from '../src/engine/image';
import type { Recipe } from '../src/recipe/recipe';
import type { LoadedMaskModel } from '../src/inference/panelMaskModel';
import type { KeyStore } from './keyStore';

/** Progress of the running job: 0..1 and what it is doing, in words. */
export type ReportProgress = (fraction: number, message: string) => void;

/**
 * Set when the retoucher presses Cancel. Only `aborted` is read, so an AbortSignal fits, but the panel makes
 * its own (cancelSignal): UXP's runtime is not a browser and AbortController is not promised there.
 */
export interface CancelSignal {
  readonly aborted: boolean;
}

export function cancelSignal(): { readonly signal: CancelSignal; cancel(): void } {
  const state = { aborted: false };
  return { signal: state, cancel: () => void (state.aborted = true) };
}

export interface Job {
  /** Hosts check it between steps; a cancelled job leaves nothing half-done. */
  readonly signal: CancelSignal;
  readonly progress: ReportProgress;
}

/** What the host read from the document for an action. */
export interface ActionInput {
  /** The active layer (Photoshop) or the opened photo (browser), canvas-sized, sRGB. */
  readonly image: RgbaImage;
  /** The piece when the retoucher gave it (a selection in Photoshop, a mask file in the browser). */
  readonly jewelryMask?: Mask;
  /** Where `jewelryMask` came from, in the retoucher's words, e.g. "your selection". */
  readonly jewelryMaskSource?: string;
  /** What to tell the retoucher to do when Loupe cannot find the piece on its own. */
  readonly howToGiveMask: string;
  /** Loupe's mask model, loaded on first call, when the host ships it; rejects with a plain MaskModelError. */
  readonly maskModel?: () => Promise<LoadedMaskModel>;
}

/** What an action tells the retoucher after it ran. */
export interface ActionSummary {
  /** One line, e.g. "Detected 18K yellow gold". */
  readonly headline: string;
  readonly details: readonly string[];
}

export interface PlannedAction {
  readonly recipe: Recipe;
  readonly summary: ActionSummary;
}

/** One engine action as a host runs it: plan from pixels, then write the recipe. */
export interface ActionRequest {
  /** History step name, e.g. "Loupe: Retouch metal". */
  readonly historyName: string;
  /** Plans in steps, yielding between them so progress paints and Cancel is heard; rejects with CancelledError. */
  plan(input: ActionInput, job: Job): Promise<PlannedAction>;
  /**
   * The plan waits on a server (a generated scene can take minutes). Photoshop then reads and writes in two
   * short modal scopes and stays usable in between, instead of showing its progress dialog for the whole
   * wait; the write is refused if the photo layer changed meanwhile.
   */
  readonly waitsOnServer?: boolean;
}

/** What the host wrote, for the panel to show. */
export interface ActionOutcome {
  readonly summary: ActionSummary;
  readonly historyName: string;
  readonly groupName: string;
  /** Layer names bottom → top, as written. */
  readonly layers: readonly string[];
  readonly selections: readonly string[];
}

/** What a check compares: the photo as shot and what the document shows now. Nothing is written. */
export interface CheckInput {
  /** The photo layer (Photoshop) or the opened photo (browser), 8-bit sRGB, canvas-sized. */
  readonly original: Rgba8Image;
  /** The document as it looks now (every visible layer), same size. */
  readonly result: Rgba8Image;
  readonly jewelryMask?: Mask;
  readonly jewelryMaskSource?: string;
  readonly howToGiveMask: string;
  /** Loupe's mask model, as for actions: finds the piece on a busy backdrop when no mask was given. */
  readonly maskModel?: () => Promise<LoadedMaskModel>;
  /** The stones, for the Stone count check: the request's stonesChannel, where the host could read it. */
  readonly stonesMask?: Mask;
  readonly stonesMaskSource?: string;
  /** How to give a stones mask in this host, finishing "… then check again" (said when there is none). */
  readonly howToGiveStones?: string;
}

export interface CheckItem {
  readonly label: string;
  readonly verdict: 'pass' | 'warn' | 'fail' | 'skipped';
  readonly detail?: string;
}

export interface CheckReport {
  readonly headline: string;
  readonly verdict: 'pass' | 'warn' | 'fail';
  readonly items: readonly CheckItem[];
  readonly details: readonly string[];
  /** Where the result departs from the photo, for the host to show on the image (Show changes). */
  readonly overlay?: CheckOverlay;
}

/** What a colour in a heatmap means, e.g. red: "detail lost". */
export interface LegendEntry {
  /** CSS colour of the swatch. */
  readonly colour: string;
  readonly meaning: string;
}

/** One heatmap a check can show, e.g. structure changed, with the failed checks boxed on it. */
export interface OverlayView {
  readonly id: string;
  readonly label: string;
  readonly legend: readonly LegendEntry[];
}

/**
 * A check's heatmaps. Pixels are built when asked, not with the report: full-canvas layers of a 24 MP
 * photo are hundreds of MB, and most checks are never shown on the image.
 */
export interface CheckOverlay {
  readonly width: number;
  readonly height: number;
  readonly views: readonly OverlayView[];
  /** Every heatmap as the hidden layer group a host writes ("Loupe · Fidelity"). */
  layers(): Recipe;
  /** One view flattened, to draw over a preview. */
  heatmap(viewId: string): Rgba8Image;
}

/** How a host puts a check's heatmaps on the image. */
export type OverlayHost =
  /** Photoshop: written as a hidden group, one history step; the retoucher turns a layer on, and it is never exported while hidden. */
  | { readonly kind: 'layers'; write(overlay: CheckOverlay, job: Job): Promise<ActionOutcome> }
  /** Browser harness: drawn over the document's preview; a null view takes it off. Throws when the document changed since the check. */
  | { readonly kind: 'preview'; show(overlay: CheckOverlay, viewId: string | null): void };

export interface CheckRequest {
  /** For Photoshop's progress bar, e.g. "Loupe: Fidelity check". */
  readonly name: string;
  /** An alpha channel holding the stones, read where the host has channels (Photoshop) and it exists. */
  readonly stonesChannel?: string;
  check(input: CheckInput, job: Job): Promise<CheckReport>;
}

/**
 * Context background as only Photoshop does it: Generative Fill on the inverse of the piece, the photo's own
 * piece back on top, one history step. The request says how to find the piece (as every action does).
 */
export interface GenerativeFillRequest {
  readonly historyName: string;
  /** Empty: Firefly fills from the photo's context. */
  readonly prompt: string;
  /** The jewelry mask (selection, mask model or backdrop finder), with its source and notes for the summary. */
  findPiece(input: ActionInput, job: Job): Promise<{ readonly mask: Mask; readonly source: string; readonly warnings: readonly string[] }>;
}

/** What a host adds for context backgrounds. */
export interface BackgroundHost {
  /** Photoshop only. */
  generativeFill?(request: GenerativeFillRequest, job: Job): Promise<ActionOutcome>;
  /** Throws one plain sentence when this host may not reach `url` (Photoshop: its domain is not in the manifest). */
  checkNetworkAccess?(url: string): void;
  /** Lets the retoucher pick a text file (e.g. a ComfyUI workflow .json); null when the picker was closed. */
  openTextFile?(extensions: readonly string[]): Promise<{ name: string; text: string } | null>;
}

export interface Host {
  readonly kind: 'photoshop' | 'browser';
  /** E.g. "Photoshop 26.0.0" or "Browser harness". */
  readonly label: string;
  /**
   * Reads the target, plans, writes. Rejects with an Error whose message is one plain sentence saying what
   * to do next; on rejection the document is as it was.
   */
  runAction(request: ActionRequest, job: Job): Promise<ActionOutcome>;
  /** Reads the photo and the current result and runs a check on them; changes nothing. */
  runCheck(request: CheckRequest, job: Job): Promise<CheckReport>;
  /** Shows the last check's heatmaps on the image; absent where the host cannot. */
  readonly overlay?: OverlayHost;
  /**
   * A small picture of the document as it shows now (image URL), for hosts whose document the panel cannot
   * otherwise show; null when there is nothing to show. The browser harness shows the document itself.
   */
  preview?(maxSide: number): Promise<string | null>;
  /** Where provider API keys are kept; absent where the host keeps none. */
  readonly keys?: KeyStore;
  readonly background?: BackgroundHost;
}

/** What the panel shows after a capability ran. */
export type PanelOutcome =
  | { readonly kind: 'written'; readonly written: ActionOutcome }
  | { readonly kind: 'checked'; readonly report: CheckReport };

/** Thrown when the retoucher cancelled; the panel shows it as a quiet note, not an error. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled: nothing was changed.');
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(signal: CancelSignal): void {
  if (signal.aborted) throw new CancelledError();
}

/**
 * Lets the UI paint (progress, Cancel) and hear clicks between long synchronous engine steps. A zero-delay
 * timeout is not enough: it gives no frame, so the wait spans one display frame.
 */
export function yieldToUi(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}
