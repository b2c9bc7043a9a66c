/**
 * Stage lines for `loupe background` on stderr — queued, generating, fetching, compositing — so a long
 * network wait is visibly alive. Only on a terminal, or when asked (--progress): piped stderr stays
 * quiet for scripts. Each stage is said once, with the seconds since the photo started.
 */
export type Stage = 'queued' | 'generating' | 'fetching' | 'compositing';

export interface StageProgress {
  stage(stage: Stage, detail?: string): void;
  /** Maps a generator's own progress message to its stage (uploading/sending → queued, fetching/decoding → fetching). */
  fromGenerator(message: string): void;
}

export function stageProgress(label: string, enabled: boolean, write: (line: string) => void = (l) => void process.stderr.write(l)): StageProgress {
  const started = Date.now();
  const said = new Set<Stage>();
  const stage = (name: Stage, detail?: string): void => {
    if (!enabled || said.has(name)) return;
    said.add(name);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    write(`loupe background: ${label}: ${name}${detail ? ` (${detail})` : ''} · ${seconds} s\n`);
  };
  return {
    stage,
    fromGenerator(message) {
      if (/upload|send|queued/i.test(message)) {
        stage('queued');
        stage('generating'); // the provider works from here until its answer comes back
      } else if (/fetch|decod/i.test(message)) {
        stage('generating');
        stage('fetching');
      }
    },
  };
}
