/**
 * A recording stand-in for UXP's `photoshop` module, injected into the Photoshop host (never resolved
 * through webpack externals). It keeps the order of every call, simulates just enough state (the layer
 * stack: `make` lands above the active layer, or inside it at the top when it is a group; `select`; the DOM's
 * `move`; alpha channels saved and deleted) and checks the Imaging API's documented input rules on each
 * buffer it is handed.
 */
import type {
  PhotoshopModule, PsBounds, PsCreateImageDataOptions, PsDocument, PsExecutionContext, PsImageData, PsLayer, PsPixelArray,
} from '../../../src/hosts/photoshop/photoshopApi.ts';
import type { Descriptor } from '../../../src/hosts/photoshop/descriptors/descriptor.ts';

export type RecordedCall =
  | { kind: 'executeAsModal'; commandName: string }
  | { kind: 'suspendHistory'; documentID: number; name: string }
  | { kind: 'resumeHistory'; commit: boolean }
  | { kind: 'batchPlay'; descriptors: Descriptor[] }
  | { kind: 'getPixels'; options: Record<string, unknown> }
  | { kind: 'getSelection' }
  | { kind: 'createImageData'; options: PsCreateImageDataOptions; arrayType: string; length: number }
  | { kind: 'putPixels'; layerID: number; imageData: StubImageData; targetBounds?: { left: number; top: number } }
  | { kind: 'putLayerMask'; layerID: number; imageData: StubImageData; targetBounds?: { left: number; top: number } }
  | { kind: 'putSelection'; imageData: StubImageData }
  | { kind: 'encodeImageData' }
  | { kind: 'moveLayer'; layerID: number; relativeID: number; placement: string }
  | { kind: 'renameLayer'; layerID: number; name: string }
  | { kind: 'deleteLayer'; layerID: number };

export interface StubImageData extends PsImageData {
  readonly data: PsPixelArray;
  readonly colorProfile?: string;
  disposed: boolean;
}

export interface LayerPixels {
  /** Chunky pixels as Photoshop hands them: 8-bit 0..255 or 16-bit 0..32768 (fullRange converts to 0..65535). */
  readonly data: Uint8Array | Uint16Array;
  readonly bounds: PsBounds;
  readonly components: 3 | 4;
}

export interface StubSetup {
  readonly document?: Partial<Omit<PsDocument, 'activeLayers'>> & { activeLayers?: Partial<PsLayer>[] } | null;
  readonly layerPixels: LayerPixels;
  /** 8-bit selection and its bounds; sets document.selection.bounds. */
  readonly selection?: { data: Uint8Array; bounds: PsBounds };
  /** Throw from this call (by kind, 1-based occurrence). */
  readonly failAt?: { kind: RecordedCall['kind']; occurrence: number; error?: unknown };
  /** Photoshop's "Add Mask by Default" for new adjustment layers (default true, as Photoshop ships). */
  readonly adjustmentMaskByDefault?: boolean;
  /** Layers already above the photo, top → bottom (e.g. an earlier run's groups, a retoucher's layer). */
  readonly above?: readonly AboveLayer[];
  /** Alpha channels already in the document, by name. */
  readonly channels?: readonly string[];
  /** Alpha channels with contents (Load Selection gives them back; null = all black, loads as no selection). */
  readonly channelMasks?: Readonly<Record<string, { data: Uint8Array; bounds: PsBounds } | null>>;
  /** Called after every recorded call (e.g. to cancel mid-way). */
  readonly onCall?: (call: RecordedCall) => void;
}

/** A layer above the photo; a group (the default kind) may hold layers of its own, top → bottom. */
export interface AboveLayer { name: string; kind?: string; visible?: boolean; children?: readonly AboveLayer[] }

export const SOURCE_LAYER_ID = 7;
export const DOCUMENT_ID = 42;

export function recordingPhotoshop(setup: StubSetup) {
  const calls: RecordedCall[] = [];
  const counts = new Map<string, number>();
  let nextLayerId = 100;
  let activeLayerId = SOURCE_LAYER_ID;
  const layersWithMask = new Set<number>();
  let cancelled = false;

  const record = (call: RecordedCall): void => {
    calls.push(call);
    const n = (counts.get(call.kind) ?? 0) + 1;
    counts.set(call.kind, n);
    setup.onCall?.(call);
    if (setup.failAt && setup.failAt.kind === call.kind && setup.failAt.occurrence === n) {
      throw setup.failAt.error ?? new Error(`stub: ${call.kind} failed`);
    }
  };

  const width = setup.document?.width ?? 64;
  const height = setup.document?.height ?? 48;
  // The layer stack as a tree, each list top → bottom.
  interface StackNode { id: number; name: string; kind: string; visible?: boolean; children?: StackNode[]; parent: StackNode | null }
  const root: StackNode[] = [];
  const listOf = (node: StackNode): StackNode[] => node.parent?.children ?? root;
  const find = (id: number, list: StackNode[] = root): StackNode | undefined => {
    for (const n of list) {
      if (n.id === id) return n;
      const inside = n.children && find(id, n.children);
      if (inside) return inside;
    }
    return undefined;
  };
  const bounds = { left: 0, top: 0, right: width, bottom: height };
  const view = (node: StackNode): PsLayer => ({
    id: node.id, kind: node.kind, visible: node.visible ?? true, allLocked: false, isBackgroundLayer: false, bounds,
    get name() { return node.name; },
    set name(name: string) { record({ kind: 'renameLayer', layerID: node.id, name }); node.name = name; },
    get layers() { return node.children ? node.children.map(view) : null; },
    move: (relative, placement) => moveLayer(node.id, relative.id, placement),
    delete: () => deleteLayer(node.id),
  });
  const deleteLayer = (id: number): void => {
    record({ kind: 'deleteLayer', layerID: id });
    const node = find(id);
    if (!node) throw new Error('stub: no such layer to delete');
    listOf(node).splice(listOf(node).indexOf(node), 1);
  };
  const moveLayer = (id: number, relativeID: number, placement: string): void => {
    record({ kind: 'moveLayer', layerID: id, relativeID, placement });
    const node = find(id);
    const relative = find(relativeID);
    if (!node || !relative || node === relative) throw new Error('stub: move needs two different layers');
    listOf(node).splice(listOf(node).indexOf(node), 1);
    const list = listOf(relative);
    list.splice(list.indexOf(relative) + (placement === 'placeAfter' ? 1 : 0), 0, node);
    node.parent = relative.parent;
  };
  let aboveId = 50;
  const stackNode = (layer: AboveLayer, parent: StackNode | null): StackNode => {
    const kind = layer.kind ?? 'group';
    const node: StackNode = { id: aboveId++, name: layer.name, kind, visible: layer.visible, parent };
    if (kind === 'group') node.children = (layer.children ?? []).map((child) => stackNode(child, node));
    return node;
  };
  for (const layer of setup.above ?? []) root.push(stackNode(layer, null));
  const layers: PsLayer[] = (setup.document?.activeLayers ?? [{}]).map((partial, i) => {
    const layer: PsLayer = {
      id: i === 0 ? SOURCE_LAYER_ID : SOURCE_LAYER_ID + i,
      name: 'Background',
      kind: 'pixel',
      visible: true,
      allLocked: false,
      isBackgroundLayer: true,
      bounds,
      layers: null,
      move: (relative, placement) => moveLayer(layer.id, relative.id, placement),
      delete: () => deleteLayer(layer.id),
      ...partial,
    };
    root.push({ id: layer.id, name: layer.name, kind: layer.kind, parent: null });
    return layer;
  });
  const channels: { name: string; kind: string }[] = [
    ...['Red', 'Green', 'Blue'].map((name) => ({ name, kind: 'component' })),
    ...[...(setup.channels ?? []), ...Object.keys(setup.channelMasks ?? {})].map((name) => ({ name, kind: 'maskedAreas' })),
  ];
  // The selection as Photoshop keeps it: Load Selection and Deselect change it, a rolled-back history
  // suspension restores it (the only document state this stub rolls back).
  let selection = setup.selection ?? null;
  let selectionAtSuspend = selection;
  const doc: PsDocument | null = setup.document === null ? null : {
    id: DOCUMENT_ID,
    title: 'ring.psd',
    mode: 'RGBColorMode',
    bitsPerChannel: 'bitDepth8',
    ...setup.document,
    width,
    height,
    activeLayers: layers,
    get layers() { return root.map(view); },
    get channels() { return channels.map((c) => ({ ...c })); },
    get selection() { return { bounds: selection?.bounds ?? null }; },
  };

  const imageData = (data: PsPixelArray, o: { width: number; height: number; components: number; colorSpace: string; colorProfile?: string }): StubImageData => ({
    width: o.width,
    height: o.height,
    components: o.components,
    componentSize: data instanceof Uint8Array ? 8 : data instanceof Uint16Array ? 16 : 32,
    colorSpace: o.colorSpace,
    colorProfile: o.colorProfile,
    hasAlpha: o.components === 4 || o.components === 2,
    data,
    disposed: false,
    async getData(options) {
      if (data instanceof Uint16Array && options?.fullRange) return data.map((v) => Math.round((v * 65535) / 32768));
      return data;
    },
    dispose() {
      this.disposed = true;
    },
  });

  const module: PhotoshopModule = {
    app: { activeDocument: doc, documents: { length: doc ? 1 : 0 }, version: '26.0.0' },
    core: {
      async executeAsModal(work, options) {
        record({ kind: 'executeAsModal', commandName: options.commandName });
        const context: PsExecutionContext = {
          get isCancelled() {
            return cancelled;
          },
          reportProgress() {},
          hostControl: {
            async suspendHistory(info) {
              record({ kind: 'suspendHistory', documentID: info.documentID, name: info.name });
              selectionAtSuspend = selection;
              return { documentID: info.documentID };
            },
            async resumeHistory(_suspension, commit) {
              record({ kind: 'resumeHistory', commit });
              if (!commit) selection = selectionAtSuspend;
            },
          },
        };
        return work(context);
      },
    },
    action: {
      async batchPlay(descriptors) {
        record({ kind: 'batchPlay', descriptors: [...descriptors] });
        return descriptors.map((d) => {
          const target = (d._target as { _ref?: string; _property?: string; _id?: number }[] | undefined) ?? [];
          if (d._obj === 'make' && d.new === undefined) {
            const active = find(activeLayerId);
            const kind = target[0]?._ref === 'layerSection' ? 'group' : target[0]?._ref === 'adjustmentLayer' ? 'curves' : 'pixel';
            const made: StackNode = { id: nextLayerId, name: String((d.using as { name?: unknown } | undefined)?.name ?? ''), kind, parent: null, ...(kind === 'group' ? { children: [] } : {}) };
            if (active?.children) {
              made.parent = active;
              active.children.unshift(made);
            } else if (active) {
              made.parent = active.parent;
              listOf(active).splice(listOf(active).indexOf(active), 0, made);
            } else {
              root.unshift(made);
            }
            activeLayerId = nextLayerId++;
            if (target[0]?._ref === 'adjustmentLayer' && (setup.adjustmentMaskByDefault ?? true)) layersWithMask.add(activeLayerId);
          }
          if (d._obj === 'make' && d.new !== undefined) {
            if (layersWithMask.has(activeLayerId)) throw new Error('stub: the layer already has a mask');
            layersWithMask.add(activeLayerId);
          }
          if (d._obj === 'select') activeLayerId = target[0]._id as number;
          if (d._obj === 'syntheticFill') {
            // Generative Fill as Photoshop does it: a new "Generative Layer" directly above the layer it was
            // run on, which becomes the active layer.
            const on = find(Number(d.layerID));
            if (!on) throw new Error('stub: syntheticFill on a layer that does not exist');
            const made: StackNode = { id: nextLayerId, name: 'Generative Layer 1', kind: 'pixel', parent: on.parent };
            listOf(on).splice(listOf(on).indexOf(on), 0, made);
            activeLayerId = nextLayerId++;
            layersWithMask.add(activeLayerId);
          }
          if (d._obj === 'set' && target[0]?._property === 'selection') {
            const to = d.to as { _ref?: string; _name?: string; _value?: string };
            if (to._ref === 'channel' && to._name !== undefined) {
              if (!(to._name in (setup.channelMasks ?? {}))) throw new Error(`stub: no channel with contents named ${to._name}`);
              selection = setup.channelMasks![to._name];
            } else if (to._value === 'none') selection = null;
          }
          if (d._obj === 'duplicate' && target[0]?._property === 'selection') channels.push({ name: String(d.name), kind: 'maskedAreas' });
          if (d._obj === 'delete' && target[0]?._ref === 'channel') {
            const name = (target[0] as { _name?: string })._name;
            const at = channels.findIndex((c) => c.kind !== 'component' && c.name === name);
            if (at < 0) throw new Error(`stub: no channel named ${name}`);
            channels.splice(at, 1);
          }
          if (d._obj === 'get' && target[0]?._property === 'layerID') return { layerID: activeLayerId };
          if (d._obj === 'get' && target[0]?._property === 'hasUserMask') return { hasUserMask: layersWithMask.has(activeLayerId) };
          return {};
        });
      },
    },
    imaging: {
      async getPixels(options) {
        record({ kind: 'getPixels', options: { ...options } });
        const { data, bounds, components } = setup.layerPixels;
        if (options.targetSize) {
          return { imageData: imageData(new Uint8Array(3), { width: 1, height: 1, components: 3, colorSpace: 'RGB' }), sourceBounds: { left: 0, top: 0, right: 1, bottom: 1 }, level: 2 };
        }
        const w = bounds.right - bounds.left;
        const h = bounds.bottom - bounds.top;
        return { imageData: imageData(data, { width: w, height: h, components, colorSpace: 'RGB' }), sourceBounds: bounds, level: 0 };
      },
      async getSelection() {
        record({ kind: 'getSelection' });
        if (!selection) throw new Error('stub: no selection');
        const { data, bounds } = selection;
        return { imageData: imageData(data, { width: bounds.right - bounds.left, height: bounds.bottom - bounds.top, components: 1, colorSpace: 'Grayscale' }), sourceBounds: bounds };
      },
      async createImageDataFromBuffer(data, options) {
        record({ kind: 'createImageData', options: { ...options }, arrayType: data.constructor.name, length: data.length });
        // The Imaging API page: "The number of elements in imageData must be equal to: width * height * components".
        if (data.length !== options.width * options.height * options.components) {
          throw new Error(`stub: buffer has ${data.length} elements, expected ${options.width * options.height * options.components}`);
        }
        return imageData(data, options);
      },
      async putPixels(options) {
        record({ kind: 'putPixels', layerID: options.layerID, imageData: options.imageData as StubImageData, targetBounds: options.targetBounds });
      },
      async putLayerMask(options) {
        if (!layersWithMask.has(options.layerID)) throw new Error('stub: putLayerMask on a layer without a mask');
        record({ kind: 'putLayerMask', layerID: options.layerID, imageData: options.imageData as StubImageData, targetBounds: options.targetBounds });
      },
      async putSelection(options) {
        record({ kind: 'putSelection', imageData: options.imageData as StubImageData });
      },
      async encodeImageData() {
        record({ kind: 'encodeImageData' });
        return '/9j/stub';
      },
    },
  };

  return {
    module,
    calls,
    cancelPhotoshopSide() {
      cancelled = true;
    },
    of<K extends RecordedCall['kind']>(kind: K): Extract<RecordedCall, { kind: K }>[] {
      return calls.filter((c): c is Extract<RecordedCall, { kind: K }> => c.kind === kind);
    },
    /** The layer stack as names, top → bottom, a group's layers indented under it. */
    stack(): string[] {
      const walk = (list: StackNode[], depth: number): string[] => list.flatMap((n) => [`${'  '.repeat(depth)}${n.name}`, ...walk(n.children ?? [], depth + 1)]);
      return walk(root, 0);
    },
    /** Alpha channel names, in the Channels panel's order. */
    alphaChannels(): string[] {
      return channels.filter((c) => c.kind !== 'component').map((c) => c.name);
    },
    /** Every descriptor handed to batchPlay, in order. */
    descriptors(): Descriptor[] {
      return calls.flatMap((c) => (c.kind === 'batchPlay' ? c.descriptors : []));
    },
  };
}
