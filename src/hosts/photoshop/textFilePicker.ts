/**
 * Photoshop's open-file dialog for a text file (a ComfyUI workflow): UXP's localFileSystem.getFileForOpening
 * (manifest permission localFileSystem "request"), read as UTF-8 (File.read's default format). Returns
 * null when the retoucher closes the dialog.
 */
export interface UxpFileEntry {
  readonly name: string;
  read(): Promise<string | ArrayBuffer>;
}

export interface UxpLocalFileSystem {
  getFileForOpening(options: { types?: readonly string[]; allowMultiple?: boolean }): Promise<UxpFileEntry | readonly UxpFileEntry[] | null | undefined>;
}

export function uxpTextFilePicker(files: UxpLocalFileSystem) {
  return async (extensions: readonly string[]): Promise<{ name: string; text: string } | null> => {
    const picked = await files.getFileForOpening({ types: extensions, allowMultiple: false });
    const file: UxpFileEntry | null | undefined = isList(picked) ? picked[0] : picked;
    if (!file) return null;
    const content = await file.read();
    return { name: file.name, text: typeof content === 'string' ? content : new TextDecoder().decode(content) };
  };
}

function isList(picked: unknown): picked is readonly UxpFileEntry[] {
  return Array.isArray(picked);
}
