import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoConfigPath, resolveConfigSource } from './config-source';

describe('resolveConfigSource', () => {
  it('takes the named file, refuses a missing one, and --demo only without --config', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sy-source-')), 'mine.yaml');
    writeFileSync(path, 'model_list: []\n');
    expect(resolveConfigSource(path)).toEqual({ path, isDemo: false });
    expect(() => resolveConfigSource(`${path}.missing`)).toThrow(/does not exist/);
    expect(resolveConfigSource(undefined, { demo: true })).toEqual({
      path: demoConfigPath,
      isDemo: true,
    });
    expect(() => resolveConfigSource(path, { demo: true })).toThrow(
      '--demo and --config cannot be used together',
    );
  });
});
