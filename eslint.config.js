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

const BROWSER_SAFE_IMPORTS = {
  paths: [
    { name: '@coxswain/api', message: 'use @coxswain/api/browser (no reflect-metadata / class-validator in browser-safe code)' },
    { name: 'reflect-metadata', message: 'not browser-safe' },
    { name: 'class-validator', message: 'not browser-safe' },
    { name: 'class-transformer', message: 'not browser-safe' },
  ],
  patterns: [{ group: ['node:*'], message: 'Node built-ins are not browser-safe' }],
};

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
    // Browser-safe code (shared with the dashboard's bundle): no Node built-ins, no decorators'
    // runtime, and libs/api only through its browser entry.
    files: ['libs/scheduling/**/*.ts', 'apps/dashboard/src/{lib,components,client}/**/*.{ts,tsx}'],
    ignores: ['**/*.spec.ts', '**/*.spec.tsx'],
    rules: { 'no-restricted-imports': ['error', BROWSER_SAFE_IMPORTS] },
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
