/**
 * Context background with Photoshop's own Generative Fill, as one history step (one Undo):
 *   1. read the photo layer and the selection; find the piece as every action does (the request's findPiece);
 *   2. write the "Loupe · Context background" group with "Piece · original pixels" — the photo's own pixels
 *      masked by the jewelry mask — and the "Jewelry" channel, through the recipe writer (the same layout
 *      and stacking as the recipe the other providers produce);
 *   3. add the "Context background" layer under the piece, inside the group, select the inverse of the
 *      piece and run Generative Fill (syntheticFill, generativeFillDescriptor.ts) on it;
 *   4. Photoshop puts its result on a new generative layer above that one: it takes the name and the empty
 *      stand-in goes. The piece stays on top, so wherever the mask is white the result is the photo.
 * Any failure (not signed in, no credits, the prompt refused) rolls the whole step back.
 */
import { toRgba8, type Mask } from '../../engine/image';
import { CONTEXT_BACKGROUND_LAYER, planContextBackground } from '../../engine/background/contextBackground';
import { buildGenerativeFillDescriptor } from '../generators/generativeFillDescriptor';
import { CancelledError, throwIfCancelled, type ActionOutcome, type GenerativeFillRequest, type Job } from '../../../panels/host';
import type { LoadedMaskModel } from '../../inference/panelMaskModel';
import type { Descriptor } from './descriptors/descriptor';
import { deselect, getActiveLayerId, makePixelLayer, selectLayerById } from './descriptors/layers';
import { inOneHistoryStep } from './oneHistoryStep';
import type { PhotoshopModule, PsLayer } from './photoshopApi';
import { readLayerImage, readSelectionMask } from './readTarget';
import { refusalForDocument } from './refusals';
import { MASK_PROFILE, writeRecipe } from './writeRecipe';

export interface GenerativeFillDeps {
  readonly howToGiveMask: string;
  readonly maskModel?: () => Promise<LoadedMaskModel>;
}

const FIREFLY_HELP = 'check that you are signed in to Creative Cloud with generative credits left and that Generative Fill works by hand, or choose another provider';

export async function runGenerativeFill(ps: PhotoshopModule, request: GenerativeFillRequest, job: Job, deps: GenerativeFillDeps): Promise<ActionOutcome> {
  const doc = ps.app.documents.length > 0 ? ps.app.activeDocument : null;
  const refusal = refusalForDocument(doc);
  if (refusal || !doc) throw new Error(refusal ?? 'Open a photo first.');
  const layer = doc.activeLayers[0];
  throwIfCancelled(job.signal);
  const play = (descriptors: readonly Descriptor[]) => ps.action.batchPlay(descriptors, {});
  const activeLayerId = async (): Promise<number> => {
    const id = (await play([getActiveLayerId()]))[0]?.layerID;
    if (typeof id !== 'number') throw new Error('Photoshop did not report the new layer: run again, and if it persists, restart Photoshop.');
    return id;
  };

  return inOneHistoryStep(ps, doc.id, request.historyName, async (context) => {
    const report = (fraction: number, message: string) => {
      job.progress(fraction, message);
      context.reportProgress({ value: fraction, commandName: message });
      if (context.isCancelled) throw new CancelledError();
    };
    report(0.02, `Reading "${layer.name}"`);
    const image = await readLayerImage(ps, doc, layer);
    const jewelryMask = await readSelectionMask(ps, doc);
    const piece = await request.findPiece(
      { image, jewelryMask, jewelryMaskSource: jewelryMask ? 'your selection' : undefined, howToGiveMask: deps.howToGiveMask, maskModel: deps.maskModel },
      { signal: job.signal, progress: (f, m) => report(0.05 + 0.25 * f, m) },
    );
    throwIfCancelled(job.signal);

    // The piece's layer, group and channel exactly as the recipe writes them (the scene layer is Photoshop's).
    const photo = toRgba8(image);
    const planned = inPlainWords(() => planContextBackground(photo, piece.mask, photo).recipe);
    const pieceRecipe = { ...planned, layers: planned.layers.slice(1) };
    const written = await writeRecipe(ps, { documentID: doc.id, sourceLayerId: layer.id }, pieceRecipe, {
      signal: job.signal, progress: (f, m) => report(0.3 + 0.2 * f, m),
    });
    const [groupId] = written.groupIds;
    const [pieceId] = written.layerIds;

    report(0.5, 'Adding the background layer under the piece');
    await play([selectLayerById(pieceId), makePixelLayer(CONTEXT_BACKGROUND_LAYER)]);
    const standInId = await activeLayerId();
    await layerById(ps, standInId).move(layerById(ps, pieceId), 'placeAfter');

    report(0.55, 'Generative Fill: Photoshop is generating the scene');
    await putInverseSelection(ps, doc.id, piece.mask);
    throwIfCancelled(job.signal);
    let answers: Record<string, unknown>[];
    try {
      answers = await play([
        selectLayerById(standInId),
        buildGenerativeFillDescriptor({ documentID: doc.id, layerID: standInId, prompt: request.prompt }) as Descriptor,
      ]);
    } catch (error) {
      throw new Error(`Photoshop's Generative Fill did not run (${reason(error)}): ${FIREFLY_HELP}.`);
    }
    const answer = answers[1];
    if (answer?._obj === 'error') throw new Error(`Photoshop's Generative Fill did not run (${reason(answer)}): ${FIREFLY_HELP}.`);
    throwIfCancelled(job.signal);

    report(0.95, 'Tidying the layers');
    const filledId = await activeLayerId();
    if (filledId !== standInId) {
      const filled = layerById(ps, filledId);
      filled.name = CONTEXT_BACKGROUND_LAYER;
      await layerById(ps, standInId).delete();
    }
    await play([deselect(), selectLayerById(groupId)]);
    report(1, 'Written');
    return {
      summary: {
        headline: "Context background: Photoshop's Generative Fill",
        details: [
          ...(request.prompt ? [`Scene: ${request.prompt}`] : ['Scene: filled from the photo\'s own context (no prompt)']),
          `Jewelry mask: ${piece.source}`,
          "The piece is your photo's own pixels on top, masked by the jewelry mask; Generative Fill only painted the scene behind it",
          'Other variations: select the "Context background" layer and open its Properties',
          ...piece.warnings.map((w) => w.charAt(0).toUpperCase() + w.slice(1)),
        ],
      },
      historyName: request.historyName,
      groupName: planned.groupName,
      layers: [CONTEXT_BACKGROUND_LAYER, ...pieceRecipe.layers.map((l) => l.name)],
      selections: (planned.selections ?? []).map((s) => s.name),
    };
  });
}

/** Everything but the piece selected: where Generative Fill may paint. Soft edges stay soft, inverted. */
async function putInverseSelection(ps: PhotoshopModule, documentID: number, mask: Mask): Promise<void> {
  const inverse = new Uint8Array(mask.data.length);
  for (let i = 0; i < inverse.length; i++) inverse[i] = 255 - mask.data[i];
  const imageData = await ps.imaging.createImageDataFromBuffer(inverse, {
    width: mask.width, height: mask.height, components: 1, colorSpace: 'Grayscale', colorProfile: MASK_PROFILE, chunky: true,
  });
  try {
    await ps.imaging.putSelection({ documentID, imageData, replace: true });
  } finally {
    imageData.dispose();
  }
}

function layerById(ps: PhotoshopModule, id: number): PsLayer {
  const search = (layers: ArrayLike<PsLayer>): PsLayer | undefined => {
    for (const l of Array.from(layers)) {
      if (l.id === id) return l;
      const inside = l.layers ? search(l.layers) : undefined;
      if (inside) return inside;
    }
    return undefined;
  };
  const found = ps.app.activeDocument ? search(ps.app.activeDocument.layers) : undefined;
  if (!found) throw new Error('Photoshop did not report the new layer: run again, and if it persists, restart Photoshop.');
  return found;
}

/** Photoshop's own words for a failed command, without trailing punctuation. */
function reason(error: unknown): string {
  const message = typeof error === 'object' && error !== null && 'message' in error ? String((error as { message: unknown }).message) : String(error);
  return message.split('\n')[0].replace(/[.\s]+$/, '') || 'no reason given';
}

/** The engine's refusals (empty or inverted mask) are sentences already; they only need a capital letter. */
function inPlainWords<T>(plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.charAt(0).toUpperCase() + message.slice(1) + '.');
  }
}
