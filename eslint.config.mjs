import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * The dependency direction of DESIGN.md, enforced: contracts ← config ← providers;
 * contracts ← messaging ← client; services import libs; libs never import services.
 * A lib's tags are in its package.json ("nx": { "tags": [...] }).
 */
const dependencyDirection = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:contracts', notDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:telemetry', notDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:local-servers', notDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:config', onlyDependOnLibsWithTags: ['scope:contracts'] },
  {
    sourceTag: 'scope:providers',
    onlyDependOnLibsWithTags: ['scope:contracts', 'scope:config', 'scope:telemetry'],
  },
  {
    sourceTag: 'scope:messaging',
    onlyDependOnLibsWithTags: ['scope:contracts', 'scope:telemetry'],
  },
  {
    sourceTag: 'scope:client',
    onlyDependOnLibsWithTags: ['scope:contracts', 'scope:messaging', 'scope:telemetry'],
  },
  { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:local-servers'] },
  {
    sourceTag: 'scope:entrypoint',
    onlyDependOnLibsWithTags: ['scope:config', 'scope:telemetry'],
  },
  { sourceTag: 'scope:limits', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:config'] },
  {
    sourceTag: 'scope:keys',
    onlyDependOnLibsWithTags: [
      'scope:contracts',
      'scope:config',
      'scope:telemetry',
      'scope:limits',
      'scope:messaging',
    ],
  },
  { sourceTag: 'scope:pricing', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:config'] },
  { sourceTag: 'scope:nats-auth', onlyDependOnLibsWithTags: ['scope:contracts'] },
  {
    sourceTag: 'scope:batches',
    onlyDependOnLibsWithTags: ['scope:contracts', 'scope:messaging', 'scope:client'],
  },
];

/**
 * Production code never imports the real-server harness of libs/testing. This is a direct-import
 * rule rather than `notDependOnLibsWithTags` on services: Nx checks that one transitively over a
 * project graph that includes spec files, so every service importing a lib whose own specs use
 * libs/testing (messaging, limits) would fail it.
 */
const noTestHarness = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: '@switchyard/testing',
          message: 'libs/testing is for *.spec.ts and *.test-support.ts files only',
        },
      ],
    },
  ],
};

/** Tests may also use the real-server harness of libs/testing; production code may not. */
const testFiles = ['**/*.spec.ts', '**/*.test-support.ts', '**/spec-helpers/**/*.ts'];
const dependencyDirectionInTests = dependencyDirection.flatMap(({ sourceTag, ...rule }) => {
  if (rule.onlyDependOnLibsWithTags) {
    return [
      { sourceTag, onlyDependOnLibsWithTags: [...rule.onlyDependOnLibsWithTags, 'scope:testing'] },
    ];
  }
  const forbidsEveryLib = rule.notDependOnLibsWithTags.includes('type:lib');
  return forbidsEveryLib ? [{ sourceTag, onlyDependOnLibsWithTags: ['scope:testing'] }] : [];
});

const boundaries = (depConstraints) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    { enforceBuildableLibDependency: false, allow: [], depConstraints },
  ],
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', '.switchyard/**', 'coverage/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...boundaries(dependencyDirection),
      ...noTestHarness,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: testFiles,
    rules: { ...boundaries(dependencyDirectionInTests), 'no-restricted-imports': 'off' },
  },
  prettier,
);
