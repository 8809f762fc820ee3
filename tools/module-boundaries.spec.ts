import { ESLint } from 'eslint';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { dependencyDirection } from '../eslint.config.mjs';

/**
 * Lints snippets, as if they were files of a given package, with the workspace's own
 * dependency rules; only the boundary rule runs, so no type information is needed.
 */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        plugins: { '@nx': nx },
        languageOptions: { parser: tseslint.parser },
        rules: {
          '@nx/enforce-module-boundaries': ['error', { depConstraints: dependencyDirection }],
        },
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.message);
}

describe('dependency direction (Nx module boundaries)', () => {
  it('lets config import contracts', async () => {
    const errors = await boundaryErrors(
      'libs/config/src/probe.ts',
      "import { errorTypeNames } from '@switchyard/contracts';\nexport const x = errorTypeNames;\n",
    );
    expect(errors).toEqual([]);
  });

  it('fails contracts importing another lib (contracts depend on nothing)', async () => {
    const errors = await boundaryErrors(
      'libs/contracts/src/probe.ts',
      "import { createLogger } from '@switchyard/telemetry';\nexport const x = createLogger;\n",
    );
    expect(errors.join('\n')).toMatch(/scope:contracts.*can only depend on/);
  });

  it('fails a lib importing a service', async () => {
    const errors = await boundaryErrors('libs/testing/src/probe.ts', "import '@switchyard/cli';\n");
    expect(errors.join('\n')).toMatch(/type:lib.*can only depend on libs tagged with "type:lib"/);
  });
});
