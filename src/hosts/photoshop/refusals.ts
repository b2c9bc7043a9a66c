/**
 * Why Loupe will not run on what is selected, in the retoucher's words, checked before anything is touched.
 * Pure: it looks at a snapshot of the document's state (values of Photoshop's DocumentMode,
 * BitsPerChannelType and LayerKind).
 */
import type { PsDocument, PsLayer } from './photoshopApi';

const MODE_NAMES: Readonly<Record<string, string>> = {
  CMYKColorMode: 'CMYK',
  labColorMode: 'Lab',
  indexedColorMode: 'Indexed Color',
  grayscaleMode: 'Grayscale',
  bitmapMode: 'Bitmap',
  duotoneMode: 'Duotone',
  multichannelMode: 'Multichannel',
};

/** Layer kinds that hold no pixels of their own but are not adjustments either. */
const OTHER_KINDS: Readonly<Record<string, string>> = {
  group: 'A group is selected: open it and select the photo layer itself, then run again.',
  smartObject: 'A smart object is selected: Loupe needs pixels. Select a pixel layer, or rasterize a copy (Layer › Rasterize › Smart Object), then run again.',
  text: 'A text layer is selected: select the photo layer, then run again.',
  solidColor: 'A fill layer is selected: select the photo layer, then run again.',
  gradientFill: 'A fill layer is selected: select the photo layer, then run again.',
  pattern: 'A fill layer is selected: select the photo layer, then run again.',
  threeD: 'A 3D layer is selected: select the photo layer, then run again.',
  video: 'A video layer is selected: select the photo layer, then run again.',
};

export function refusalForDocument(doc: PsDocument | null): string | null {
  if (!doc) return 'Open a photo first: Loupe works on the active document.';
  if (doc.mode !== 'RGBColorMode') {
    const name = MODE_NAMES[doc.mode] ?? doc.mode;
    return `This document is ${name}: Loupe works on RGB photos. Convert it with Image › Mode › RGB Color (on a copy if you need the original), then run again.`;
  }
  if (doc.bitsPerChannel === 'bitDepth32') {
    return 'This document is 32 bits per channel (HDR): set Image › Mode to 16 or 8 Bits/Channel, then run again.';
  }
  if (doc.bitsPerChannel !== 'bitDepth8' && doc.bitsPerChannel !== 'bitDepth16') {
    return `This document's bit depth (${doc.bitsPerChannel}) is not supported: set Image › Mode to 8 or 16 Bits/Channel, then run again.`;
  }
  if (doc.activeLayers.length === 0) return 'No layer is selected: click the photo layer in the Layers panel, then run again.';
  if (doc.activeLayers.length > 1) return 'Several layers are selected: select just the photo layer, then run again.';
  return refusalForLayer(doc.activeLayers[0]);
}

export function refusalForLayer(layer: PsLayer): string | null {
  if (layer.kind !== 'pixel') {
    return OTHER_KINDS[layer.kind] ?? `An adjustment layer ("${layer.name}") is selected: select the photo layer beneath it, then run again.`;
  }
  if (!layer.visible) return `The layer "${layer.name}" is hidden: show it (the eye in the Layers panel), then run again.`;
  if (layer.allLocked) return `The layer "${layer.name}" is locked: unlock it (the padlock in the Layers panel), then run again.`;
  const { left, top, right, bottom } = layer.bounds;
  if (right <= left || bottom <= top) return `The layer "${layer.name}" is empty: select the photo layer, then run again.`;
  return null;
}
