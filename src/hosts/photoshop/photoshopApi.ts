/**
 * The part of UXP's `photoshop` module Loupe uses, typed structurally so the host takes it as an argument:
 * in Photoshop the real module (loadPhotoshopModules), in tests a recording stub. Shapes follow the Imaging
 * API page, the ExecuteAsModal page and @types/photoshop 25 (values of `mode`, `bitsPerChannel`, `kind`).
 */
import type { Descriptor } from './descriptors/descriptor';

export interface PsBounds {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export type PsPixelArray = Uint8Array | Uint16Array | Float32Array;

export interface PsImageData {
  readonly width: number;
  readonly height: number;
  readonly components: number;
  readonly componentSize: number;
  readonly colorSpace: string;
  readonly hasAlpha: boolean;
  getData(options?: { chunky?: boolean; fullRange?: boolean }): Promise<PsPixelArray>;
  dispose(): void;
}

export interface PsCreateImageDataOptions {
  readonly width: number;
  readonly height: number;
  readonly components: number;
  readonly colorSpace: 'RGB' | 'Grayscale';
  readonly colorProfile?: string;
  readonly chunky?: boolean;
  readonly fullRange?: boolean;
}

export interface PsImaging {
  getPixels(options: {
    documentID?: number;
    layerID?: number;
    sourceBounds?: PsBounds;
    targetSize?: { width?: number; height?: number };
    colorSpace?: 'RGB';
    colorProfile?: string;
    componentSize?: -1 | 8 | 16 | 32;
  }): Promise<{ imageData: PsImageData; sourceBounds: PsBounds; level: number }>;
  getSelection(options: { documentID?: number; sourceBounds?: PsBounds }): Promise<{ imageData: PsImageData; sourceBounds: PsBounds }>;
  putPixels(options: { documentID?: number; layerID: number; imageData: PsImageData; replace?: boolean; targetBounds?: { left: number; top: number }; commandName?: string }): Promise<void>;
  putLayerMask(options: { documentID?: number; layerID: number; kind?: 'user'; imageData: PsImageData; replace?: boolean; targetBounds?: { left: number; top: number } }): Promise<void>;
  putSelection(options: { documentID?: number; imageData: PsImageData; replace?: boolean; targetBounds?: { left: number; top: number } }): Promise<void>;
  createImageDataFromBuffer(data: PsPixelArray, options: PsCreateImageDataOptions): Promise<PsImageData>;
  encodeImageData(options: { imageData: PsImageData; base64: true }): Promise<string>;
}

export interface PsLayer {
  readonly id: number;
  /** Settable (Layer page, 22.5): renames the layer. */
  name: string;
  /** LayerKind: "pixel", "group", "smartObject", "curves", "text", … */
  readonly kind: string;
  readonly visible: boolean;
  readonly allLocked: boolean;
  readonly isBackgroundLayer: boolean;
  readonly bounds: PsBounds;
  /** A group's layers, top → bottom; null for other layers (Layer page, 23.0). */
  readonly layers?: ArrayLike<PsLayer> | null;
  /** Layer page, 23.0: "placeBefore" = above `relativeObject` (above the whole group if it is one). */
  move(relativeObject: PsLayer, insertLocation: 'placeBefore' | 'placeAfter'): Promise<void> | void;
  /** Layer page, 23.0: deletes the layer. */
  delete(): Promise<void> | void;
}

export interface PsChannel {
  readonly name: string;
  /** ChannelType: "component" (Red, Green, Blue…), "maskedAreas" / "selectedAreas" (alpha), "spot". */
  readonly kind: string;
}

export interface PsDocument {
  readonly id: number;
  readonly title: string;
  readonly width: number;
  readonly height: number;
  /** DocumentMode: "RGBColorMode", "CMYKColorMode", "labColorMode", … */
  readonly mode: string;
  /** BitsPerChannelType: "bitDepth8", "bitDepth16", "bitDepth32", … */
  readonly bitsPerChannel: string;
  readonly activeLayers: ArrayLike<PsLayer>;
  /** Top-level layers, top → bottom (Document page, 22.5). */
  readonly layers: ArrayLike<PsLayer>;
  /** Component and alpha channels (Document page, 23.0). */
  readonly channels: ArrayLike<PsChannel>;
  readonly selection?: { readonly bounds: PsBounds | null };
}

export interface PsHistorySuspension {
  readonly documentID?: number;
}

export interface PsExecutionContext {
  readonly isCancelled: boolean;
  onCancel?: () => void;
  reportProgress(options: { value: number; commandName?: string }): void;
  readonly hostControl: {
    suspendHistory(info: { documentID: number; name: string }): Promise<PsHistorySuspension>;
    resumeHistory(suspension: PsHistorySuspension, commit: boolean): Promise<void>;
  };
}

export interface PhotoshopModule {
  readonly app: {
    readonly activeDocument: PsDocument | null;
    readonly documents: { readonly length: number };
    readonly version?: string;
  };
  readonly core: {
    executeAsModal<T>(work: (context: PsExecutionContext, descriptor?: unknown) => Promise<T>, options: { commandName: string; interactive?: boolean }): Promise<T>;
  };
  readonly action: {
    batchPlay(descriptors: readonly Descriptor[], options: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  };
  readonly imaging: PsImaging;
}
