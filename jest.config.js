/** Jest projects keep the fast unit tests apart from the database- and HTTP-backed ones. */
const transform = {
  '^.+\\.(t|j)sx?$|^.+\\.c?js$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};
// PGlite loads its WebAssembly through dynamic import(); jest needs it transformed to CommonJS.
const transformIgnorePatterns = ['/node_modules/(?!(@electric-sql/pglite|mikro-orm-pglite)/)'];
const common = { transform, transformIgnorePatterns, testEnvironment: 'node', setupFiles: ['reflect-metadata'] };

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...common, displayName: 'protocol', testMatch: ['<rootDir>/test/protocol/**/*.test.ts'] },
  ],
};
