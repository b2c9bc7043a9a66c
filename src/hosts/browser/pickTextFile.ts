/**
 * The browser harness's open-file dialog for a text file (a ComfyUI workflow): a hidden file input.
 * Resolves null when the dialog is closed without a file (the input's `cancel` event).
 */
export function pickTextFile(extensions: readonly string[]): Promise<{ name: string; text: string } | null> {
  return new Promise((resolve, reject) => {
    const input = globalThis.document.createElement('input');
    input.type = 'file';
    input.accept = extensions.map((e) => `.${e}`).join(',');
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return resolve(null);
      file.text().then((text) => resolve({ name: file.name, text }), reject);
    });
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}
