/**
 * Connected components of a binary plane: used by the plain-backdrop finder (specks, enclosed holes) and by the
 * corrections it allows to the model's mask (areas of backdrop, holes in the mask). Pure TypeScript.
 */

export interface Component {
  area: number;
  /** Reaches the plane's outer row or column. */
  touchesBorder: boolean;
  keep: boolean;
}

/**
 * Labels the connected components of pixels equal to `value` (4-connected, or 8 with `eight`): `labels` gets
 * 1-based ids (0 elsewhere), component `id` is at index id − 1 of the result. `labels` and `stack` are scratch of
 * the plane's size, passed in so that callers labelling twice allocate once.
 */
export function labelComponents(bin: Uint8Array, value: number, W: number, H: number, eight: boolean, labels: Int32Array, stack: Int32Array): Component[] {
  labels.fill(0);
  const comps: Component[] = [];
  const N = W * H;
  for (let s = 0; s < N; s++) {
    if (bin[s] !== value || labels[s] !== 0) continue;
    const id = comps.length + 1;
    const comp: Component = { area: 0, touchesBorder: false, keep: true };
    comps.push(comp);
    let top = 0;
    stack[top++] = s;
    labels[s] = id;
    // Neighbours checked one by one, not in a dx/dy loop or a helper: on a 24 MP mask this is the hot path.
    while (top > 0) {
      const p = stack[--top];
      comp.area++;
      const x = p % W;
      const left = x > 0, right = x < W - 1, up = p >= W, down = p < N - W;
      if (!left || !right || !up || !down) comp.touchesBorder = true;
      let q = p - 1;
      if (left && bin[q] === value && labels[q] === 0) { labels[q] = id; stack[top++] = q; }
      q = p + 1;
      if (right && bin[q] === value && labels[q] === 0) { labels[q] = id; stack[top++] = q; }
      q = p - W;
      if (up && bin[q] === value && labels[q] === 0) { labels[q] = id; stack[top++] = q; }
      q = p + W;
      if (down && bin[q] === value && labels[q] === 0) { labels[q] = id; stack[top++] = q; }
      if (!eight) continue;
      q = p - W - 1;
      if (up && left && bin[q] === value && labels[q] === 0) { labels[q] = id; stack[top++] = q; }
      q = p - W + 1;
      if (up && right && bin[q] === value && labels[q] === 0) { labels[q] = id; stack[top++] = q; }
      q = p + W - 1;
      if (down && left && bin[q] === value && labels[q] === 0) { labels[q] = id; stack[top++] = q; }
      q = p + W + 1;
      if (down && right && bin[q] === value && labels[q] === 0) { labels[q] = id; stack[top++] = q; }
    }
  }
  return comps;
}
