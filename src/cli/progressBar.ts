/** A one-line progress bar on a terminal (stderr), silent when output is piped or for a single input. */
export interface Progress {
  update(done: number, label: string): void;
  finish(): void;
}

export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (total < 2 || !stream.isTTY) return { update() {}, finish() {} };
  const width = 24;
  return {
    update(done, label) {
      const filled = Math.round((done / total) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}`.slice(0, (stream.columns || 80) - 1).padEnd((stream.columns || 80) - 1));
    },
    finish() { stream.write('\n'); },
  };
}
