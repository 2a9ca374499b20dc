// Flat config: TypeScript rules everywhere, and Nx module boundaries so that each
// project only reaches the projects its scope allows, through their src/index.ts.
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

/** Scope rules; specs may also use the test harness (real etcd, registry, cluster). */
function boundaries(forSpecs) {
  const withTest = (tags) => (forSpecs ? [...tags, 'scope:test'] : tags);
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: withTest(['scope:shared']) },
      { sourceTag: 'scope:control-plane', onlyDependOnLibsWithTags: withTest(['scope:shared', 'scope:control-plane']) },
      { sourceTag: 'scope:node', onlyDependOnLibsWithTags: withTest(['scope:shared', 'scope:node']) },
      { sourceTag: 'scope:web', onlyDependOnLibsWithTags: withTest(['scope:shared', 'scope:web']) },
      { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: withTest(['scope:shared']) },
      { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['*'] },
    ],
  };
}

module.exports = [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.next/**', '**/coverage/**', 'reports/**', 'test-output/**', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(false)] },
  },
  {
    files: ['**/*.spec.ts', '**/*.spec.tsx'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(true)] },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
