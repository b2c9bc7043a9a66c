/**
 * Reads what an action works on with the Imaging API: the active layer's pixels (trimmed to the layer's
 * bounds, which need not be the canvas), at the document's depth (8 or 16 bits), in sRGB; the active
 * selection as the jewelry mask when there is one; the composite for checks; and a small preview through
 * targetSize, which lets Photoshop answer from a cached pyramid level instead of the full-resolution image.
 */
import { createMask, toRgba8, type Mask, type Rgba8Image, type RgbaImage } from '../../engine/image';
import { loadChannelAsSelection } from './descriptors/layers';
import { grayToCanvasMask, layerPixelsToCanvas } from './pixelBuffers';
import type { PhotoshopModule, PsDocument, PsExecutionContext, PsLayer } from './photoshopApi';
import { SRGB_PROFILE } from './writeRecipe';

export async function readLayerImage(ps: PhotoshopModule, doc: PsDocument, layer: PsLayer): Promise<RgbaImage> {
  const depth = doc.bitsPerChannel === 'bitDepth16' ? 16 : 8;
  const { imageData, sourceBounds } = await ps.imaging.getPixels({
    documentID: doc.id, layerID: layer.id, colorSpace: 'RGB', colorProfile: SRGB_PROFILE, componentSize: depth,
  });
  try {
    const data = await imageData.getData({ chunky: true, fullRange: true });
    return layerPixelsToCanvas({ data, bounds: sourceBounds, components: imageData.components }, doc.width, doc.height, depth);
  } finally {
    imageData.dispose();
  }
}

/** The document as it shows now (all visible layers), 8-bit sRGB, canvas-sized. */
export async function readComposite(ps: PhotoshopModule, doc: PsDocument): Promise<Rgba8Image> {
  const { imageData, sourceBounds } = await ps.imaging.getPixels({ documentID: doc.id, colorSpace: 'RGB', colorProfile: SRGB_PROFILE, componentSize: 8 });
  try {
    const data = await imageData.getData({ chunky: true });
    return toRgba8(layerPixelsToCanvas({ data, bounds: sourceBounds, components: imageData.components }, doc.width, doc.height, 8));
  } finally {
    imageData.dispose();
  }
}

/** The active selection as a canvas-sized mask, or undefined when nothing is selected. */
export async function readSelectionMask(ps: PhotoshopModule, doc: PsDocument): Promise<Mask | undefined> {
  if (!doc.selection?.bounds) return undefined;
  const { imageData, sourceBounds } = await ps.imaging.getSelection({ documentID: doc.id });
  try {
    const data = await imageData.getData({ chunky: true });
    if (!(data instanceof Uint8Array)) throw new Error('the selection came back at an unexpected depth: run again');
    return grayToCanvasMask(data, sourceBounds, doc.width, doc.height);
  } finally {
    imageData.dispose();
  }
}

/**
 * An alpha channel's contents as a canvas-sized mask, or undefined when the document has no alpha channel
 * of that name. The Imaging API reads selections, not channels: so the channel is loaded as the selection
 * and read with history suspended, then the suspension is dropped (commit=false), which puts the
 * retoucher's own selection back and leaves no history state. Needs the caller's modal scope.
 */
export async function readAlphaChannel(ps: PhotoshopModule, doc: PsDocument, context: PsExecutionContext, name: string): Promise<Mask | undefined> {
  if (!Array.from(doc.channels).some((c) => c.kind !== 'component' && c.name === name)) return undefined;
  const suspension = await context.hostControl.suspendHistory({ documentID: doc.id, name: `Reading the "${name}" channel` });
  try {
    await ps.action.batchPlay([loadChannelAsSelection(name)], {});
    // An all-black channel loads as no selection at all: that is an empty mask, not a missing one.
    return (await readSelectionMask(ps, doc)) ?? createMask(doc.width, doc.height);
  } finally {
    await context.hostControl.resumeHistory(suspension, false);
  }
}

/** A JPEG data URL of the document as it shows now, its long side at most `maxSide` pixels. */
export async function readDocumentPreview(ps: PhotoshopModule, doc: PsDocument, maxSide: number): Promise<string> {
  const landscape = doc.width >= doc.height;
  const side = Math.max(1, Math.min(maxSide, landscape ? doc.width : doc.height));
  const { imageData } = await ps.imaging.getPixels({
    documentID: doc.id, colorSpace: 'RGB', componentSize: 8, targetSize: landscape ? { width: side } : { height: side },
  });
  try {
    return `data:image/jpeg;base64,${await ps.imaging.encodeImageData({ imageData, base64: true })}`;
  } finally {
    imageData.dispose();
  }
}
