/**
 * A command over many photos, as a retoucher runs a catalog: the mask model loaded once for all of them, a
 * progress bar, a photo that fails said and skipped (exit 1 at the end), Ctrl-C stopping after the current
 * photo (exit 130; a second Ctrl-C quits at once).
 */
import { openMaskModelSession, type MaskModelSession } from './maskCommand';
import { progressBar } from './progressBar';

/** `onePhoto` does one photo's work and returns what to print for it. */
export async function runPhotoBatch(inputs: readonly string[], onePhoto: (input: string, model: MaskModelSession) => Promise<string>): Promise<number> {
  let cancelled = false;
  const onSigint = () => { cancelled = true; process.stderr.write('\nloupe: stopping after the current photo (Ctrl-C again to quit now)…\n'); process.off('SIGINT', onSigint); };
  process.on('SIGINT', onSigint);
  const progress = progressBar(inputs.length);
  const model = openMaskModelSession();
  let failed = 0;
  try {
    for (const [i, input] of inputs.entries()) {
      if (cancelled) break;
      progress.update(i, input);
      try {
        process.stdout.write(await onePhoto(input, model));
      } catch (err) {
        failed++;
        process.stderr.write(`loupe: ${input}: ${(err as Error).message}\n`);
      }
      progress.update(i + 1, input);
    }
  } finally {
    progress.finish();
    process.off('SIGINT', onSigint);
    await model.release();
  }
  if (cancelled) return 130;
  return failed > 0 ? 1 : 0;
}
