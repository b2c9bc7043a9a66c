/**
 * Writes a recipe above the source layer: a pass-through group per recipe group (usually one, named for
 * the action), its layers bottom → top (adjustment layers by batchPlay, pixel layers by putPixels), each
 * layer's mask by putLayerMask, its blend mode, opacity, clipping and visibility, then the saved
 * selections as alpha channels (one of them left loaded when the recipe says so). Must run inside
 * executeAsModal (see oneHistoryStep.ts); the caller owns
 * the history step.
 *
 * Order of creation: a new layer lands directly above the active one, and inside the active group when
 * that group is selected. So each group is made with the source layer active, then filled in recipe
 * order; with several groups the top one is made first, each next one lands beneath it. Then, when
 * Loupe groups from earlier runs sit above the photo, the new groups are moved on top of them (see
 * loupeGroupsAbove). Loupe's own channels are replaced, not duplicated (see replacedChannels).
 */
import type { Mask } from '../../engine/image';
import type { Recipe, RecipeLayer } from '../../recipe/recipe';
import { recipeGroups } from '../../recipe/recipeGroups';
import { throwIfCancelled, type CancelSignal } from '../../../panels/host';
import type { Descriptor } from './descriptors/descriptor';
import { makeAdjustmentLayer } from './descriptors/adjustments';
import {
  addRevealAllMask, createClippingMask, deleteChannelByName, deselect, getActiveLayerHasUserMask, getActiveLayerId, hideActiveLayer, makeGroup, makePixelLayer,
  saveSelectionAsChannel, selectLayerById, setBlendAndOpacity,
} from './descriptors/layers';
import { cropRgba8, opaqueBounds } from './pixelBuffers';
import type { PhotoshopModule, PsDocument, PsLayer } from './photoshopApi';

/**
 * The profile Loupe's pixels are in; Photoshop converts to the document's profile on put. Buffers are 8-bit
 * whatever the document's depth, as in Adobe's own Imaging sample (imaging.psjs puts a Uint8Array).
 */
export const SRGB_PROFILE = 'sRGB IEC61966-2.1';
/** Masks and selections: one grayscale component, as the Imaging API page requires. */
export const MASK_PROFILE = 'Gray Gamma 2.2';

export interface WriteTarget {
  readonly documentID: number;
  /** The photo layer; the group goes directly above it. */
  readonly sourceLayerId: number;
}

export interface WriteProgress {
  readonly signal: CancelSignal;
  /** 0..1 over the write. */
  progress(fraction: number, message: string): void;
  /**
   * The retoucher's selection before the run: loaded again at the end when the recipe leaves none of its
   * own, as Photoshop's own commands keep the selection (writing needs it dropped meanwhile).
   */
  readonly restoreSelection?: Mask;
}

export interface WrittenRecipe {
  /** Bottom → top, as the recipe's groups. */
  readonly groupIds: readonly number[];
  readonly layerIds: readonly number[];
}

export async function writeRecipe(ps: PhotoshopModule, target: WriteTarget, recipe: Recipe, job: WriteProgress): Promise<WrittenRecipe> {
  const { documentID } = target;
  const play = (descriptors: readonly Descriptor[]) => ps.action.batchPlay(descriptors, {});
  const activeLayerId = async (): Promise<number> => {
    const [answer] = await play([getActiveLayerId()]);
    const id = answer?.layerID;
    if (typeof id !== 'number') throw new Error('Photoshop did not report the new layer: run again, and if it persists, restart Photoshop.');
    return id;
  };

  const doc = ps.app.activeDocument;
  if (!doc || doc.id !== documentID) throw new Error('The document changed while Loupe was working: run again.');
  // Read before writing: the run of earlier Loupe groups directly above the photo.
  const earlier = loupeGroupsAbove(doc, target.sourceLayerId);

  // A live selection would become the adjustment layers' masks: Loupe writes its own.
  await play([deselect()]);
  const groups = recipeGroups(recipe).filter((g) => g.layers.length > 0); // an empty group tells the retoucher nothing
  const steps = recipe.layers.length + (recipe.selections?.length ?? 0);
  const groupIds: number[] = [];
  const layerIdsTopDown: number[][] = [];
  let done = 0;
  for (const group of [...groups].reverse()) {
    throwIfCancelled(job.signal);
    await play([selectLayerById(target.sourceLayerId), makeGroup(group.name)]);
    groupIds.unshift(await activeLayerId());
    const ids: number[] = [];
    for (const layer of group.layers) {
      throwIfCancelled(job.signal);
      job.progress(done++ / steps, `Writing "${layer.name}"`);
      ids.push(await writeLayer(ps, documentID, layer, play, activeLayerId));
    }
    layerIdsTopDown.unshift(ids);
  }
  if (earlier.length > 0 && groupIds.length > 0) {
    // New groups were made directly above the photo, under the earlier ones: move them on top, bottom one
    // first, so the stack reads oldest → newest upwards like every layer Photoshop itself adds.
    let top = earlier[0];
    for (const id of groupIds) {
      const made = findLayer(doc.layers, id);
      if (!made) throw new Error('Photoshop did not report the new group: run again, and if it persists, restart Photoshop.');
      await made.move(top, 'placeBefore');
      top = made;
    }
  }
  for (const [index, selection] of (recipe.selections ?? []).entries()) {
    throwIfCancelled(job.signal);
    job.progress((recipe.layers.length + index) / steps, `Saving the selection "${selection.name}"`);
    const imageData = await maskImageData(ps, selection.mask);
    try {
      await ps.imaging.putSelection({ documentID, imageData, replace: true });
    } finally {
      imageData.dispose();
    }
    await play([...replacedChannels(doc, selection.name), saveSelectionAsChannel(selection.name), deselect()]);
  }
  const active = recipe.selections?.find((s) => s.name === recipe.activeSelection)?.mask ?? job.restoreSelection;
  if (active) {
    // Left loaded for the retoucher (Select and Mask, a layer mask…), as Select › Load Selection would.
    const imageData = await maskImageData(ps, active);
    try {
      await ps.imaging.putSelection({ documentID, imageData, replace: true });
    } finally {
      imageData.dispose();
    }
  }
  if (groupIds.length > 0) await play([selectLayerById(groupIds[groupIds.length - 1])]);
  job.progress(1, 'Written');
  return { groupIds, layerIds: layerIdsTopDown.flat() };
}

async function writeLayer(
  ps: PhotoshopModule,
  documentID: number,
  layer: RecipeLayer,
  play: (d: readonly Descriptor[]) => Promise<Record<string, unknown>[]>,
  activeLayerId: () => Promise<number>,
): Promise<number> {
  if (layer.kind === 'adjustment') {
    await play(makeAdjustmentLayer(layer.name, layer.adjustment));
  } else {
    await play([makePixelLayer(layer.name)]);
  }
  const layerID = await activeLayerId();

  if (layer.kind === 'pixel') {
    const box = opaqueBounds(layer.image);
    if (box) {
      const imageData = await ps.imaging.createImageDataFromBuffer(cropRgba8(layer.image, box), {
        width: box.right - box.left, height: box.bottom - box.top, components: 4, colorSpace: 'RGB', colorProfile: SRGB_PROFILE, chunky: true,
      });
      try {
        await ps.imaging.putPixels({ documentID, layerID, imageData, replace: true, targetBounds: { left: box.left, top: box.top } });
      } finally {
        imageData.dispose();
      }
    }
  }
  if (layer.mask) {
    // A new adjustment layer has a white mask only while "Add Mask by Default" is on (Photoshop's default);
    // a new pixel layer has none. Ask rather than assume, and add one where it is missing.
    const [answer] = (await play([getActiveLayerHasUserMask()])) as { hasUserMask?: unknown }[];
    if (answer?.hasUserMask !== true) await play([addRevealAllMask()]);
    const imageData = await maskImageData(ps, layer.mask);
    try {
      // The whole canvas, so no part of the mask is left to Photoshop's default.
      await ps.imaging.putLayerMask({ documentID, layerID, kind: 'user', imageData, replace: true, targetBounds: { left: 0, top: 0 } });
    } finally {
      imageData.dispose();
    }
  }
  const after: Descriptor[] = [setBlendAndOpacity(layer.blendMode, layer.opacity)];
  if (layer.clipping) after.push(createClippingMask());
  if (layer.visible === false) after.push(hideActiveLayer());
  await play(after);
  return layerID;
}

/** Loupe's groups are named "Loupe · <action>" (the recipes' groupName). */
const LOUPE_GROUP = /^Loupe · /;

/**
 * Loupe groups stacked directly above the source among its siblings, top one first. The newest run goes
 * on top of them: a retoucher reads the Layers panel bottom → top as the order the work was done, and that
 * is the order the steps are meant to stack in (`loupe retouch --sharpen --shadow`: metal, then sharpen on
 * the corrected metal, then the contact shadow). The shadow sits on the floor outside the piece and the
 * metal groups are masked to the metal, so their relative order changes no pixel; Sharpen's does, and on
 * top is where a retoucher puts sharpening. The run stops at the first layer that is not a Loupe group (a
 * retoucher's own layer, another photo): Loupe cannot tell it belongs to this photo, so it stays on top.
 */
export function loupeGroupsAbove(doc: PsDocument, sourceLayerId: number): PsLayer[] {
  const siblings = siblingsOf(doc.layers, sourceLayerId);
  if (!siblings) return [];
  const at = siblings.findIndex((l) => l.id === sourceLayerId);
  const run: PsLayer[] = [];
  for (let i = at - 1; i >= 0 && siblings[i].kind === 'group' && LOUPE_GROUP.test(siblings[i].name); i--) run.unshift(siblings[i]);
  return run;
}

/** The list (top → bottom) that holds the layer `id`, searching groups too. */
function siblingsOf(layers: ArrayLike<PsLayer>, id: number): PsLayer[] | undefined {
  const list = Array.from(layers);
  if (list.some((l) => l.id === id)) return list;
  for (const l of list) {
    const inside = l.layers ? siblingsOf(l.layers, id) : undefined;
    if (inside) return inside;
  }
  return undefined;
}

function findLayer(layers: ArrayLike<PsLayer>, id: number): PsLayer | undefined {
  return siblingsOf(layers, id)?.find((l) => l.id === id);
}

/**
 * A channel of the name Loupe saves is Loupe's own from an earlier run (Mask jewelry, then Retouch metal):
 * delete it, all copies, so exactly one remains after the save. Channels of other names are the
 * retoucher's and are never touched; component channels (Red, Green, Blue) cannot match.
 */
function replacedChannels(doc: PsDocument, name: string): Descriptor[] {
  return Array.from(doc.channels).filter((c) => c.kind !== 'component' && c.name === name).map(() => deleteChannelByName(name));
}

function maskImageData(ps: PhotoshopModule, mask: Mask) {
  return ps.imaging.createImageDataFromBuffer(mask.data, {
    width: mask.width, height: mask.height, components: 1, colorSpace: 'Grayscale', colorProfile: MASK_PROFILE, chunky: true,
  });
}
