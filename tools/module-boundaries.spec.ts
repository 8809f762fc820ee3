import { ESLint, type Linter } from 'eslint';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { createProjectGraphAsync } from '@nx/devkit';
import { beforeAll, describe, expect, it } from 'vitest';

/** The options the workspace's eslint.config.mjs gives a rule for a file. */
async function workspaceRule(filePath: string, name: string): Promise<Linter.RuleEntry> {
  const config = await new ESLint().calculateConfigForFile(filePath);
  const rule = config?.rules?.[name];
  if (rule === undefined) throw new Error(`eslint.config.mjs does not enable ${name}`);
  return rule;
}

/** Lints a snippet as a file of the workspace, with only `no-restricted-imports` on. */
async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const rule = await workspaceRule(filePath, 'no-restricted-imports');
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        rules: { 'no-restricted-imports': rule },
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.message);
}

/**
 * Lints snippets, as if they were files of a given package, with the workspace's own
 * dependency rules; only the boundary rule runs, so no type information is needed.
 */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const rule = await workspaceRule(filePath, '@nx/enforce-module-boundaries');
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        plugins: { '@nx': nx as unknown as ESLint.Plugin },
        languageOptions: { parser: tseslint.parser },
        rules: {
          '@nx/enforce-module-boundaries': rule,
        },
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.message);
}

describe('dependency direction (Nx module boundaries)', () => {
  // The rule skips itself, with only a warning, when no project graph is cached.
  beforeAll(() => createProjectGraphAsync({ exitOnError: false }), 60_000);

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
    expect(errors.join('\n')).toMatch(
      /scope:contracts.*can not depend on libs tagged with "type:lib"/,
    );
  });

  it('fails a lib importing a service', async () => {
    const errors = await boundaryErrors(
      'libs/pricing/src/probe.ts',
      "import '@switchyard/gateway';\n",
    );
    expect(errors.join('\n')).toMatch(/type:lib.*can only depend on libs tagged with "type:lib"/);
  });

  it('lets tests, and only tests, use the real-server harness', async () => {
    const importHarness =
      "import { startTestNats } from '@switchyard/testing';\nexport const x = startTestNats;\n";
    expect(await boundaryErrors('libs/messaging/src/probe.int.spec.ts', importHarness)).toEqual([]);
    expect(await boundaryErrors('libs/contracts/src/probe.spec.ts', importHarness)).toEqual([]);
    const inSource = await boundaryErrors('libs/messaging/src/probe.ts', importHarness);
    expect(inSource.join('\n')).toMatch(/scope:messaging.*can only depend on/);
    const inService = await restrictedImportErrors('services/cli/src/probe.ts', importHarness);
    expect(inService.join('\n')).toMatch(/'@switchyard\/testing' import is restricted/);
    expect(
      await restrictedImportErrors('services/cli/src/probe.int.spec.ts', importHarness),
    ).toEqual([]);
  });

  it('lets a service use a lib whose own tests use the harness', async () => {
    // libs/messaging's specs import libs/testing; that must not leak into its users.
    const errors = await boundaryErrors(
      'services/cli/src/probe.ts',
      "import { connectNats } from '@switchyard/messaging';\nexport const x = connectNats;\n",
    );
    expect(errors).toEqual([]);
  });
});
