/**
 * Runs document changes as one undoable step: one executeAsModal, history suspended under the action's
 * name, resumed with commit=true when everything was written and commit=false (Photoshop rolls the
 * document back to where it was) on any error or cancel. Pattern of the ExecuteAsModal page
 * ("History state suspension") and ../shared/specs/uxp-platform.md §4.
 */
import { CancelledError } from '../../../panels/host';
import type { PhotoshopModule, PsExecutionContext } from './photoshopApi';

/** Photoshop's error number when another plugin (or a dialog) holds the modal state. */
const ANOTHER_MODAL_ERROR = 9;

export const BUSY_MESSAGE = 'Photoshop is busy with another plugin or an open dialog: finish or close it, then run again.';

export async function inOneHistoryStep<T>(
  ps: PhotoshopModule,
  documentID: number,
  historyName: string,
  work: (context: PsExecutionContext) => Promise<T>,
): Promise<T> {
  return inModalScope(ps, historyName, async (context) => {
    const suspension = await context.hostControl.suspendHistory({ documentID, name: historyName });
    let result: T;
    try {
      result = await work(context);
      if (context.isCancelled) throw new CancelledError();
    } catch (error) {
      await context.hostControl.resumeHistory(suspension, false);
      throw error;
    }
    await context.hostControl.resumeHistory(suspension, true);
    return result;
  });
}

/** executeAsModal with Photoshop's "another plugin is modal" error in plain words. Reads need it too. */
export async function inModalScope<T>(ps: PhotoshopModule, commandName: string, work: (context: PsExecutionContext) => Promise<T>): Promise<T> {
  try {
    return await ps.core.executeAsModal(work, { commandName });
  } catch (error) {
    if (isAnotherModal(error)) throw new Error(BUSY_MESSAGE);
    throw error;
  }
}

function isAnotherModal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { number?: unknown }).number === ANOTHER_MODAL_ERROR;
}
