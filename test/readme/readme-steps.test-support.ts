/** One step of the README's walk-through: a shell command, and the answer it shows, if any. */
export interface WalkthroughStep {
  command: string;
  /** The ```json block right after the command: an abridged answer (a subset of the real one). */
  shown?: Record<string, unknown>;
}

/**
 * The steps of the README's "Walk-through" section after `npm start`: one per ```sh block,
 * with `localhost:4000` / `localhost:4010` replaced by the given ports.
 */
export function walkthroughSteps(
  readme: string,
  ports: { gateway: number; simulator: number },
): WalkthroughStep[] {
  const start = readme.indexOf('\n## Walk-through');
  if (start < 0) throw new Error('README.md has no "## Walk-through" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```(sh|json)\n([\s\S]*?)```/g)].map((match) => ({
    language: match[1],
    text: match[2] ?? '',
  }));
  const startBlock = blocks.findIndex(
    (block) => block.language === 'sh' && /^npm start\b/m.test(block.text),
  );
  if (startBlock < 0) throw new Error('the walk-through has no ```sh block with `npm start`');
  const steps: WalkthroughStep[] = [];
  for (const block of blocks.slice(startBlock + 1)) {
    if (block.language === 'json') {
      const last = steps.at(-1);
      if (last === undefined) throw new Error('a ```json block before any command');
      last.shown = JSON.parse(block.text) as Record<string, unknown>;
      continue;
    }
    steps.push({
      command: block.text
        .replaceAll('localhost:4000', `127.0.0.1:${ports.gateway}`)
        .replaceAll('localhost:4010', `127.0.0.1:${ports.simulator}`),
    });
  }
  return steps;
}
