// One jest process runs the whole suite; projects split it by kind so each Nx
// project's `test` / `integration` target can select its slice by path.
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    // TSX (dashboard components): React's automatic runtime.
    '^.+\\.tsx$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2023' },
      module: { type: 'commonjs' },
    }],
    '^.+\\.tsx?$': ['@swc/jest', {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
      },
      module: { type: 'commonjs' },
    }],
  },
  moduleNameMapper: pathsToModuleNameMapper(),
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/apps/dashboard/.next/'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps,test,bench,scripts}/**/*.spec.ts', '<rootDir>/apps/dashboard/**/*.spec.tsx'],
      testPathIgnorePatterns: [...base.testPathIgnorePatterns, '\\.integration\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{libs,apps,test,scripts}/**/*.integration.spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'] },
  ],
};
