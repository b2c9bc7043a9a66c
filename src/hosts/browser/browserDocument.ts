/**
 * The browser host's document, in memory: the opened photo (never changed), an optional mask file, and the
 * recipes written above it (each action's run replaces its earlier run). It renders the visible stack like Photoshop would
 * (compositor.ts) and writes it as a layered PSD (writeLayeredPsd, which ag-psd lets run in a browser).
 * Pure TypeScript (zustand store), no DOM, so it is tested in Node too.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { toRgba8, type Mask, type Rgba8Image, type RgbaImage } from '../../engine/image';
import { renderRecipe } from '../../recipe/compositor';
import type { Recipe } from '../../recipe/recipe';
import { stackRecipes } from '../../recipe/recipeGroups';
import { writeLayeredPsd } from '../psd/writeLayeredPsd';

export interface OpenedPhoto {
  readonly name: string;
  readonly image: RgbaImage;
}

export interface DocumentState {
  readonly photo: OpenedPhoto | null;
  readonly mask: { readonly name: string; readonly mask: Mask } | null;
  /** What Loupe wrote, bottom → top: one recipe per action run (each one or more groups), with visibility. */
  readonly groups: readonly Recipe[];
  /** The loaded selection (a saved channel's name), as an action left it; null when nothing is selected. */
  readonly activeSelection: string | null;
  /** Bumps on every change, so views know to re-render. */
  readonly revision: number;
  /**
   * A check's heatmap drawn over the preview (Show changes on the image), not a layer: it is never in the
   * rendered document, its PSD or a later check. Any change to the document takes it off (it would be stale).
   */
  readonly overlay: Rgba8Image | null;
  openPhoto(photo: OpenedPhoto): void;
  setMask(name: string, mask: Mask): void;
  /** Writes a group; a group of the same name is replaced (running an action again redoes it). */
  writeGroup(recipe: Recipe): void;
  setLayerVisible(groupIndex: number, layerIndex: number, visible: boolean): void;
  /** Draws (or, with null, removes) a heatmap over the preview; leaves `revision` as it is. */
  setOverlay(overlay: Rgba8Image | null): void;
}

export type BrowserDocument = StoreApi<DocumentState>;

export function createBrowserDocument(): BrowserDocument {
  return createStore<DocumentState>()((set, get) => ({
    photo: null,
    mask: null,
    groups: [],
    activeSelection: null,
    revision: 0,
    overlay: null,

    openPhoto(photo) {
      // A new photo starts a new document: a mask or groups made for the previous one would not fit.
      set({ photo, mask: null, groups: [], activeSelection: null, revision: get().revision + 1, overlay: null });
    },

    setMask(name, mask) {
      const photo = get().photo;
      if (!photo) throw new Error('Open a photo first, then its mask.');
      const { width, height } = photo.image;
      if (mask.width !== width || mask.height !== height) {
        throw new Error(`The mask "${name}" is ${mask.width}×${mask.height} but the photo is ${width}×${height}: open the mask made for this photo.`);
      }
      set({ mask: { name, mask }, revision: get().revision + 1, overlay: null });
    },

    writeGroup(recipe) {
      const groups = get().groups.filter((g) => g.groupName !== recipe.groupName);
      // Like Photoshop after Loupe writes: the recipe's active selection is loaded, or nothing is selected.
      set({ groups: [...groups, recipe], activeSelection: recipe.activeSelection ?? null, revision: get().revision + 1, overlay: null });
    },

    setLayerVisible(groupIndex, layerIndex, visible) {
      const groups = get().groups.map((group, g) => (g !== groupIndex ? group : {
        ...group,
        layers: group.layers.map((layer, l) => (l === layerIndex ? { ...layer, visible } : layer)),
      }));
      set({ groups, revision: get().revision + 1, overlay: null });
    },

    setOverlay(overlay) {
      const photo = get().photo;
      if (overlay && (!photo || overlay.width !== photo.image.width || overlay.height !== photo.image.height)) {
        throw new Error('The heatmap does not fit the opened photo: run the check again.');
      }
      set({ overlay });
    },
  }));
}

/** The visible stack flattened: each group is pass-through over everything below it. */
export function renderDocument(state: Pick<DocumentState, 'photo' | 'groups'>): Rgba8Image | null {
  if (!state.photo) return null;
  let image: RgbaImage = state.photo.image;
  for (const group of state.groups) image = renderRecipe(image, group);
  return toRgba8(image);
}

/** The document as a layered PSD: Background (the photo) + the Loupe group, with the composite. */
export function documentToPsd(state: Pick<DocumentState, 'photo' | 'groups'>): Uint8Array {
  if (!state.photo) throw new Error('Open a photo first.');
  if (state.groups.length === 0) throw new Error('Nothing to save yet: run an action first.');
  const composite = renderDocument(state);
  if (!composite) throw new Error('Open a photo first.');
  return writeLayeredPsd({ source: state.photo.image, recipe: stackRecipes(state.groups), composite });
}

/** The names of the saved channels (selections) of every written recipe, in the order written, each once. */
export function documentChannels(state: Pick<DocumentState, 'groups'>): string[] {
  const names: string[] = [];
  for (const recipe of state.groups) for (const s of recipe.selections ?? []) if (!names.includes(s.name)) names.push(s.name);
  return names;
}
