/**
 * The browser harness's stand-in for Photoshop's canvas and Layers panel: open a photo (and its mask), see
 * the rendered result, the layer stack the recipe produced (names, eye toggles, mask thumbnails, blend and
 * opacity), and download the layered PSD.
 */
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { useStore } from 'zustand';
import type { Mask, Rgba8Image } from '../../../engine/image';
import type { Recipe, RecipeLayer } from '../../../recipe/recipe';
import { recipeGroups } from '../../../recipe/recipeGroups';
import { over } from '../../../engine/fidelity/overlayRecipe';
import { documentChannels, documentToPsd, renderDocument, type BrowserDocument } from '../browserDocument';
import { decodeImageFile, decodeMaskFile } from '../decodeImageFile';

/** The bundled sample, served by scripts/dev-server.ts under /samples/. */
const SAMPLE_URL = '/samples/ring-yellow-gold-warm-cast.png';

export function DocumentView({ document: doc }: { document: BrowserDocument }) {
  const photo = useStore(doc, (s) => s.photo);
  const mask = useStore(doc, (s) => s.mask);
  const groups = useStore(doc, (s) => s.groups);
  const activeSelection = useStore(doc, (s) => s.activeSelection);
  const [error, setError] = useState<string | null>(null);
  const overlay = useStore(doc, (s) => s.overlay);
  const composite = useMemo(() => renderDocument({ photo, groups }), [photo, groups]);
  // The check's heatmap is drawn over the preview only; the document (and its PSD) never holds it.
  const shown = useMemo(() => (composite && overlay ? over(composite, overlay) : composite), [composite, overlay]);

  const open = (kind: 'photo' | 'mask') => async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    setError(null);
    try {
      if (kind === 'photo') doc.getState().openPhoto({ name: file.name, image: await decodeImageFile(file) });
      else doc.getState().setMask(file.name, await decodeMaskFile(file));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const openSample = async () => {
    setError(null);
    try {
      const response = await fetch(SAMPLE_URL);
      if (!response.ok) throw new Error(`The bundled sample is not served here (HTTP ${response.status}): start the harness with npm run dev.`);
      const file = Object.assign(await response.blob(), { name: SAMPLE_URL.split('/').pop() });
      doc.getState().openPhoto({ name: file.name ?? 'sample.png', image: await decodeImageFile(file) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const download = () => {
    setError(null);
    try {
      const bytes = documentToPsd(doc.getState());
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'image/vnd.adobe.photoshop' }));
      const a = window.document.createElement('a');
      a.href = url;
      a.download = `${(photo?.name ?? 'photo').replace(/\.[^.]+$/, '')}.loupe.psd`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div style={styles.document}>
      <div style={styles.toolbar}>
        <label style={styles.fileButton}>
          Open photo…
          <input type="file" accept="image/png,image/jpeg,image/webp" data-testid="open-photo" style={styles.hiddenInput} onChange={(e) => void open('photo')(e.target.files)} />
        </label>
        <label style={styles.fileButton}>
          Open mask…
          <input type="file" accept="image/png,image/jpeg,image/webp" data-testid="open-mask" style={styles.hiddenInput} onChange={(e) => void open('mask')(e.target.files)} />
        </label>
        <button type="button" onClick={() => void openSample()} data-testid="open-sample">Open the sample</button>
        <button type="button" onClick={download} disabled={groups.length === 0} data-testid="download-psd">Download PSD</button>
        <span style={styles.status} data-testid="document-status">
          {photo ? `${photo.name} · ${photo.image.width}×${photo.image.height}${mask ? ` · mask ${mask.name}` : ''}` : 'No photo open'}
        </span>
      </div>
      {error && <div role="alert" style={styles.error} data-testid="document-error">{error}</div>}
      <div style={styles.body}>
        <div style={styles.canvasArea}>
          {overlay && <div style={styles.layerMeta} data-testid="overlay-note">Showing the Fidelity check's changes over the image (not a layer)</div>}
          {shown && <ImageCanvas image={shown} testId="preview" />}
        </div>
        <div style={styles.layers} data-testid="layers">
          <div style={styles.layersTitle}>Layers</div>
          {groupRows(groups).map(({ name, recipeIndex, layers }) => (
            <div key={`${recipeIndex}-${name}`} data-testid="layer-group">
              <div style={styles.groupRow} data-testid="layer-row" data-name={name}>▾ {name}</div>
              {layers.map(({ layer, index }) => (
                <LayerRow key={`${layer.name}-${index}`} layer={layer} onToggle={(visible) => doc.getState().setLayerVisible(recipeIndex, index, visible)} />
              ))}
            </div>
          ))}
          {photo && <div style={styles.layerRow} data-testid="layer-row" data-name="Background">Background</div>}
          <div style={{ ...styles.layersTitle, marginTop: 12 }}>Channels</div>
          {documentChannels({ groups }).map((name) => (
            <div key={name} style={styles.layerRow} data-testid="channel-row" data-name={name}>{name}</div>
          ))}
          <div style={styles.layerMeta} data-testid="active-selection">{activeSelection ? `Selection: ${activeSelection}` : 'No selection'}</div>
        </div>
      </div>
    </div>
  );
}

/** Groups top → bottom as the Layers panel lists them, each with its layers top → bottom and their index in the recipe. */
function groupRows(recipes: readonly Recipe[]) {
  const rows: { name: string; recipeIndex: number; layers: { layer: RecipeLayer; index: number }[] }[] = [];
  recipes.forEach((recipe, recipeIndex) => {
    let index = 0;
    for (const group of recipeGroups(recipe)) {
      const layers = group.layers.map((layer) => ({ layer, index: index++ }));
      rows.push({ name: group.name, recipeIndex, layers: layers.reverse() });
    }
  });
  return rows.reverse();
}

function LayerRow({ layer, onToggle }: { layer: RecipeLayer; onToggle: (visible: boolean) => void }) {
  const visible = layer.visible !== false;
  const kind = layer.kind === 'adjustment' ? layer.adjustment.type : 'pixels';
  return (
    <div style={{ ...styles.layerRow, paddingLeft: 18 }} data-testid="layer-row" data-name={layer.name}>
      <input type="checkbox" checked={visible} onChange={(e) => onToggle(e.target.checked)} aria-label={`Show ${layer.name}`} data-testid="layer-visible" />
      {layer.mask && <MaskThumbnail mask={layer.mask} />}
      <div style={styles.layerText}>
        <div>{layer.name}</div>
        <div style={styles.layerMeta}>
          {kind} · {layer.blendMode} · {Math.round(layer.opacity * 100)}%{layer.clipping ? ' · clipped' : ''}
        </div>
      </div>
    </div>
  );
}

function ImageCanvas({ image, testId }: { image: Rgba8Image; testId: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    canvas.width = image.width;
    canvas.height = image.height;
    context.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  }, [image]);
  return <canvas ref={ref} data-testid={testId} style={styles.canvas} />;
}

/** A small picture of a layer mask, like the thumbnail in Photoshop's Layers panel. */
function MaskThumbnail({ mask }: { mask: Mask }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const w = 40;
    const h = Math.max(1, Math.round((mask.height / mask.width) * w));
    canvas.width = w;
    canvas.height = h;
    const data = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // Nearest sample, brightened max over the cell so thin masks stay visible.
        const x0 = Math.floor((x * mask.width) / w), x1 = Math.max(x0 + 1, Math.floor(((x + 1) * mask.width) / w));
        const y0 = Math.floor((y * mask.height) / h), y1 = Math.max(y0 + 1, Math.floor(((y + 1) * mask.height) / h));
        let v = 0;
        for (let yy = y0; yy < y1; yy += 2) for (let xx = x0; xx < x1; xx += 2) v = Math.max(v, mask.data[yy * mask.width + xx]);
        const p = (y * w + x) * 4;
        data[p] = data[p + 1] = data[p + 2] = v;
        data[p + 3] = 255;
      }
    }
    context.putImageData(new ImageData(data, w, h), 0, 0);
  }, [mask]);
  return <canvas ref={ref} style={styles.thumbnail} data-testid="mask-thumbnail" />;
}

const styles: Record<string, CSSProperties> = {
  document: { flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0, color: '#d8d8d8', fontFamily: 'sans-serif', fontSize: 12 },
  toolbar: { display: 'flex', alignItems: 'center', gap: 8, padding: 8, borderBottom: '1px solid #444' },
  fileButton: { padding: '3px 8px', border: '1px solid #777', borderRadius: 3, cursor: 'pointer', position: 'relative' },
  hiddenInput: { position: 'absolute', left: 0, top: 0, width: '100%', height: '100%', opacity: 0, cursor: 'pointer' },
  status: { color: '#a0a0a0' },
  error: { margin: 8, padding: 8, border: '1px solid #d7373f', borderRadius: 4 },
  body: { flex: 1, display: 'flex', minHeight: 0 },
  canvasArea: { flex: 1, padding: 8, overflow: 'auto', background: '#282828' },
  canvas: { maxWidth: '100%', height: 'auto', display: 'block' },
  layers: { width: 280, borderLeft: '1px solid #444', padding: 8, overflow: 'auto' },
  layersTitle: { fontWeight: 'bold', marginBottom: 6 },
  groupRow: { padding: '4px 0' },
  layerRow: { display: 'flex', alignItems: 'center', gap: 6, padding: '4px 0', borderTop: '1px solid #3a3a3a' },
  layerText: { minWidth: 0 },
  layerMeta: { color: '#a0a0a0', fontSize: 11 },
  thumbnail: { width: 40, border: '1px solid #555', flex: 'none' },
};
