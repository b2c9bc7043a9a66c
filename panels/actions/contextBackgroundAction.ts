/**
 * "Context background" as a panel action: a scene behind the photographed piece, which stays the photo's
 * own pixels (src/engine/background). Four providers: Photoshop's Generative Fill (the Photoshop host does
 * it in one history step), a ComfyUI server, an OpenAI-compatible image edit endpoint, or an offline studio
 * backdrop — the default, since it needs nothing configured. Network providers run through the same
 * generators as `loupe background`, with the panel's plain-JS PNG codec. The API key is read from the
 * host's KeyStore only as the request is built; it never enters options, the recipe, the outcome or a message.
 */
import { toRgba8 } from '../../src/engine/image';
import { planContextBackground } from '../../src/engine/background/contextBackground';
import { PROMPT_PRESETS, findPromptPreset } from '../../src/engine/background/promptPresets';
import type { StudioBackdropKind } from '../../src/engine/background/studioBackdrops';
import { GeneratorError, type BackgroundGenerator } from '../../src/hosts/generators/generator';
import { comfyUiGenerator } from '../../src/hosts/generators/comfyuiGenerator';
import { fillWorkflow } from '../../src/hosts/generators/comfyuiWorkflow';
import { openAiGenerator } from '../../src/hosts/generators/openaiGenerator';
import { studioGenerator } from '../../src/hosts/generators/studioGenerator';
import { portablePngCodec } from '../../src/hosts/generators/portablePngCodec';
import {
  CancelledError, throwIfCancelled, yieldToUi, type ActionInput, type ActionOutcome, type ActionRequest, type CancelSignal, type Host, type Job, type PlannedAction,
} from '../host';
import { resolveJewelryMaskWithModel } from './jewelryMask';

export type BackgroundProvider = 'studio' | 'generative-fill' | 'comfyui' | 'openai';

export interface ContextBackgroundOptions {
  readonly provider: BackgroundProvider;
  readonly studio: StudioBackdropKind;
  /** A preset from promptPresets.ts, or OWN_WORDS for the free text alone. */
  readonly preset: string;
  /** Free text: the whole scene with OWN_WORDS, otherwise added to the preset's description. */
  readonly prompt: string;
  readonly comfyuiUrl: string;
  /** The retoucher's own ComfyUI workflow (API format, with {{image}}, {{mask}}, {{prompt}}); null = Loupe's. */
  readonly comfyuiWorkflow: ComfyWorkflowFile | null;
  readonly openaiUrl: string;
  readonly openaiModel: string;
}

/** A workflow file as loaded in the panel: its name, to show, and its text, checked on load. */
export interface ComfyWorkflowFile {
  readonly name: string;
  readonly json: string;
}

export const OWN_WORDS = 'own-words';
export const DEFAULT_COMFYUI_URL = 'http://127.0.0.1:8188';
export const DEFAULT_OPENAI_URL = 'https://api.openai.com/v1';
/** The KeyStore entry of the OpenAI-compatible provider's key. */
export const OPENAI_KEY_NAME = 'openai';
export const CONTEXT_BACKGROUND_HISTORY = 'Loupe: Context background';

export const CONTEXT_BACKGROUND_DEFAULTS: ContextBackgroundOptions = {
  provider: 'studio',
  studio: 'marketplace-white',
  preset: 'marble',
  prompt: '',
  comfyuiUrl: DEFAULT_COMFYUI_URL,
  comfyuiWorkflow: null,
  openaiUrl: DEFAULT_OPENAI_URL,
  openaiModel: 'gpt-image-1',
};

/** Generative Fill only where Photoshop is the host. */
export function providerChoices(hostKind: Host['kind'] | null): { value: BackgroundProvider; label: string }[] {
  return [
    { value: 'studio', label: 'Studio backdrop (offline)' },
    ...(hostKind === 'photoshop' ? [{ value: 'generative-fill' as const, label: 'Photoshop Generative Fill' }] : []),
    { value: 'comfyui', label: 'ComfyUI server' },
    { value: 'openai', label: 'OpenAI-compatible image edit' },
  ];
}

export const STUDIO_CHOICES: readonly { value: StudioBackdropKind; label: string }[] = [
  { value: 'marketplace-white', label: 'Marketplace white (RGB 255)' },
  { value: 'seamless-sweep', label: 'Seamless sweep' },
  { value: 'gradient', label: 'Soft gradient' },
];

export const PRESET_CHOICES: readonly { value: string; label: string }[] = [
  ...PROMPT_PRESETS.map((p) => ({ value: p.name, label: p.label })),
  { value: OWN_WORDS, label: 'Only my own words' },
];

/** The scene description sent to the provider. */
export function scenePrompt(options: ContextBackgroundOptions): string {
  const preset = options.preset === OWN_WORDS ? undefined : findPromptPreset(options.preset)?.prompt;
  return [options.prompt.trim(), preset].filter((part): part is string => Boolean(part)).join(', ');
}

/** Runs the capability: Generative Fill through the host, every other provider as an ordinary action. */
export async function runContextBackground(host: Host, options: ContextBackgroundOptions, job: Job): Promise<ActionOutcome> {
  const prompt = scenePrompt(options);
  if (options.provider === 'generative-fill') {
    const fill = host.background?.generativeFill;
    if (!fill) throw new Error('Generative Fill is only available in Photoshop: choose Studio backdrop, ComfyUI or OpenAI-compatible here.');
    return fill({ historyName: CONTEXT_BACKGROUND_HISTORY, prompt, findPiece: (input, pieceJob) => findPiece(input, pieceJob) }, job);
  }
  if (options.provider !== 'studio' && !prompt) throw new Error('Say what the scene should be: pick a preset, or type it under Scene, then run again.');
  const generator = await panelGenerator(host, options);
  const key = options.provider === 'openai' ? await host.keys?.get(OPENAI_KEY_NAME) : null;
  try {
    const notes = options.provider === 'comfyui' && options.comfyuiWorkflow ? [`ComfyUI workflow: ${options.comfyuiWorkflow.name}`] : [];
    return await host.runAction(contextBackgroundRequest(generator, options.provider === 'studio' ? '' : prompt, host.kind, notes), job);
  } catch (error) {
    // A compatible server may echo the key in its error (OpenAI masks it; others need not): never show it.
    if (key && error instanceof Error && error.message.includes(key)) throw new Error(error.message.split(key).join('•••'));
    throw error;
  }
}

/** The provider as configured in the panel; refuses, in one sentence, what cannot work. */
export async function panelGenerator(host: Host, options: ContextBackgroundOptions): Promise<BackgroundGenerator> {
  switch (options.provider) {
    case 'comfyui': {
      const url = checkedUrl(options.comfyuiUrl, 'ComfyUI server URL', DEFAULT_COMFYUI_URL);
      host.background?.checkNetworkAccess?.(url);
      return comfyUiGenerator({ url, workflow: keptWorkflow(options.comfyuiWorkflow), codec: portablePngCodec });
    }
    case 'openai': {
      const url = checkedUrl(options.openaiUrl, 'OpenAI-compatible base URL', DEFAULT_OPENAI_URL);
      host.background?.checkNetworkAccess?.(url);
      const apiKey = (await host.keys?.get(OPENAI_KEY_NAME)) ?? undefined;
      if (!apiKey && new URL(url).host === new URL(DEFAULT_OPENAI_URL).host) {
        throw new Error(`OpenAI needs your API key: enter it under API key and save it (${host.keys?.where ?? 'not kept here'}), then run again.`);
      }
      return openAiGenerator({ baseUrl: url, apiKey, model: options.openaiModel.trim() || undefined, codec: portablePngCodec });
    }
    default:
      return studioGenerator(options.studio);
  }
}

/**
 * A workflow file the retoucher picked, checked before it is kept: JSON, an API-format workflow, with
 * {{image}} where the photo goes. Returns the problem in one sentence, or null when it will do.
 */
export function workflowFileProblem(name: string, text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `"${name}" is not JSON: in ComfyUI use Workflow › Export (API) and load that file.`;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'nodes' in parsed && 'links' in parsed) {
    return `"${name}" is a ComfyUI workflow in its editor format: use Workflow › Export (API) instead and load that file.`;
  }
  try {
    fillWorkflow(parsed, { image: 'image.png', mask: 'mask.png', prompt: 'scene' });
  } catch (error) {
    return `"${name}": ${error instanceof Error ? error.message : String(error)}.`;
  }
  return null;
}

/** The workflow as remembered in the options, checked again (a stored copy may have been damaged since). */
function keptWorkflow(file: ComfyWorkflowFile | null): unknown {
  if (!file) return undefined;
  const problem = typeof file.json === 'string' ? workflowFileProblem(String(file.name), file.json) : 'The saved ComfyUI workflow is damaged.';
  if (problem) throw new Error(`${problem} Load your workflow again, or choose "Use Loupe's default".`);
  return JSON.parse(file.json);
}

function checkedUrl(text: string, what: string, example: string): string {
  const trimmed = text.trim();
  try {
    const url = new URL(trimmed);
    if (url.protocol === 'http:' || url.protocol === 'https:') return trimmed;
  } catch { /* said below */ }
  throw new Error(`The ${what} "${trimmed}" is not a web address: enter one like ${example}, then run again.`);
}

const MODEL_NOTE = 'the piece was found by Loupe\'s mask model: check the saved "Jewelry" channel, refine it and run again if an edge is off';

/** The piece as every action finds it: the selection (or mask file), the mask model, else the backdrop finder. */
async function findPiece(input: ActionInput, { signal, progress }: Job) {
  progress(0, input.jewelryMask ? 'Using the jewelry mask' : 'Finding the piece');
  await yieldToUi();
  throwIfCancelled(signal);
  return resolveJewelryMaskWithModel(input, signal, (f) => progress(f, 'Finding the piece'), MODEL_NOTE);
}

/** Network and studio providers: find the piece, generate the scene, plan the layers (the host writes them). */
export function contextBackgroundRequest(generator: BackgroundGenerator, prompt: string, hostKind: Host['kind'], notes: readonly string[] = []): ActionRequest {
  return {
    historyName: CONTEXT_BACKGROUND_HISTORY,
    waitsOnServer: !generator.offline,
    async plan(input, job): Promise<PlannedAction> {
      const { signal, progress } = job;
      const piece = await findPiece(input, { signal, progress: (f, m) => progress(0.15 * f, m) });
      const photo = toRgba8(input.image);
      progress(0.15, 'Queued');
      let generated;
      try {
        generated = await whileWaiting(signal, progress, 0.15, 'Generating', (abort, onProgress) => generator.generate({ image: photo, mask: piece.mask, prompt, signal: abort, onProgress }));
      } catch (error) {
        if (error instanceof GeneratorError) throw new Error(sentence(error.message) + corsHint(hostKind, error.message));
        throw error;
      }
      throwIfCancelled(signal);
      progress(0.9, 'Compositing');
      await yieldToUi();
      const plan = planContextBackground(photo, piece.mask, generated);
      progress(1, 'Planned');
      return {
        recipe: plan.recipe,
        summary: {
          headline: `Context background: ${generator.label}`,
          details: [
            ...(prompt ? [`Scene: ${prompt}`] : []),
            ...notes,
            `Jewelry mask: ${piece.source}`,
            "The piece is your photo's own pixels, masked by the jewelry mask; only the scene behind it is new",
            ...(plan.resized ? [`The scene came back ${generated.width}×${generated.height}: fitted to the photo (the piece is never resized)`] : []),
            ...piece.warnings.map(sentence),
          ],
        },
      };
    },
  };
}

/**
 * The network wait, with progress and Cancel: the generator's own steps move the bar (queued, generating,
 * fetching); a heartbeat every second adds the elapsed time and lets the host hear a Cancel (Photoshop's
 * own Cancel throws from `progress`). Cancel aborts the request, or — where the runtime has no
 * AbortController — stops waiting for it; either way nothing is written.
 */
async function whileWaiting<T>(
  signal: CancelSignal, progress: Job['progress'], from: number, firstMessage: string,
  work: (abort: AbortSignal | undefined, onProgress: (fraction: number, message: string) => void) => Promise<T>,
): Promise<T> {
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
  const started = Date.now();
  let fraction = from;
  let message = firstMessage;
  let stopWaiting: (error: Error) => void = () => {};
  const cancelled = new Promise<never>((_, reject) => { stopWaiting = reject; });
  cancelled.catch(() => undefined);
  const tell = (): void => progress(fraction, `${message.replace(/…$/, '')} · ${Math.round((Date.now() - started) / 1000)} s`);
  const heartbeat = setInterval(() => {
    try {
      tell();
      throwIfCancelled(signal);
    } catch (error) {
      controller?.abort();
      stopWaiting(error instanceof CancelledError ? error : new CancelledError());
    }
  }, 1000);
  try {
    tell();
    return await Promise.race([
      work(controller?.signal, (f, m) => {
        fraction = from + (0.9 - from) * Math.min(1, Math.max(0, f));
        message = m;
        tell();
      }),
      cancelled,
    ]);
  } catch (error) {
    if (signal.aborted || controller?.signal.aborted) throw new CancelledError();
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

function sentence(text: string): string {
  const line = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(line) ? line : `${line}.`;
}

/** A browser blocks a local ComfyUI unless it sends CORS headers; Photoshop does not ask for them. */
function corsHint(hostKind: Host['kind'], message: string): string {
  return hostKind === 'browser' && /^could not reach ComfyUI/.test(message) ? ' In the browser harness ComfyUI must also be started with --enable-cors-header.' : '';
}
