/**
 * The one shape every fidelity check returns, so the CLI, the HTML report, the XMP certificate and the
 * panel list can show any check the same way: a measured figure against a threshold, a verdict, and where
 * on the image to look.
 */

/** Pixel rectangle on the full-size image (top-left origin). */
export interface CheckRegion {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * pass / warn (inside the spec's warn band: worth a look, not a blocker) / fail / skipped (the check does
 * not apply to this image, e.g. no stones, or the piece touches the frame edge; `detail` says why).
 */
export type CheckVerdict = 'pass' | 'warn' | 'fail' | 'skipped';

export interface FidelityCheck {
  /** Stable machine id, e.g. 'contact', 'ssim-structure'. */
  readonly id: string;
  /** What a retoucher reads in the list, e.g. 'Contact shadow'. */
  readonly label: string;
  /** The measured value (NaN when skipped). */
  readonly figure: number;
  /** The fail threshold: the check passes when `figure comparison threshold` holds. */
  readonly threshold: number;
  readonly comparison: '<=' | '>=';
  /** Optional warn threshold on the passing side (spec §D.6 warn band). */
  readonly warnAt?: number;
  readonly verdict: CheckVerdict;
  /** True unless the verdict is 'fail' (warn and skipped do not block an export). */
  readonly pass: boolean;
  readonly unit?: string;
  /** Where the problem is (or where it was measured), full-image pixels. */
  readonly where?: readonly CheckRegion[];
  /** One plain sentence for the retoucher. */
  readonly detail?: string;
}

/** Does `figure` satisfy `comparison threshold`? */
export function meets(figure: number, comparison: '<=' | '>=', threshold: number): boolean {
  return comparison === '<=' ? figure <= threshold : figure >= threshold;
}

/**
 * Build a check from its figure: fail when the threshold is not met, warn when the figure is on the
 * passing side of the threshold but not of `warnAt`, else pass.
 */
export function judge(fields: {
  id: string;
  label: string;
  figure: number;
  threshold: number;
  comparison: '<=' | '>=';
  warnAt?: number;
  unit?: string;
  where?: readonly CheckRegion[];
  detail?: string;
}): FidelityCheck {
  const { figure, comparison, threshold, warnAt } = fields;
  let verdict: CheckVerdict;
  if (!Number.isFinite(figure) || !meets(figure, comparison, threshold)) verdict = 'fail';
  else if (warnAt !== undefined && !meets(figure, comparison, warnAt)) verdict = 'warn';
  else verdict = 'pass';
  return { ...fields, verdict, pass: verdict !== 'fail' };
}

/** A check that does not apply to this image; `detail` says why. */
export function skipped(fields: {
  id: string;
  label: string;
  threshold: number;
  comparison: '<=' | '>=';
  warnAt?: number;
  unit?: string;
  detail: string;
}): FidelityCheck {
  return { ...fields, figure: Number.NaN, verdict: 'skipped', pass: true };
}
