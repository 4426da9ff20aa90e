// The console is static files that Roster serves at /admin (src/http/console-routes.ts), under a
// strict CSP: Vite stamps CSP_NONCE_PLACEHOLDER on the tags it writes and into a
// <meta property="csp-nonce">, and the server replaces it with a fresh nonce on every request.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** Replaced by the server (src/http/console-routes.ts keeps the same string). */
export const CSP_NONCE_PLACEHOLDER = '__ROSTER_CSP_NONCE__';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
/** A package's ES module entry: its `module` field, else the file named. */
const esmEntry = (name: string, file?: string) => {
  const dir = packageDir(name);
  return path.join(dir, file ?? (require(path.join(dir, 'package.json')) as { module: string }).module);
};
/**
 * In tests, the ES module builds of the React libraries that npm hoists beside the root's React 18:
 * Vitest would load their CommonJS builds through Node, whose require('react') finds React 18.
 */
const HOISTED_REACT_LIBRARIES = ['urql', 'react-remove-scroll', 'react-remove-scroll-bar', 'react-style-singleton', 'use-callback-ref', 'use-sidecar', 'react-number-format'];
const ESM_BUILDS = [
  { find: /^@testing-library\/react$/, replacement: esmEntry('@testing-library/react') },
  { find: /^react-router$/, replacement: esmEntry('react-router', 'dist/development/index.mjs') },
  ...HOISTED_REACT_LIBRARIES.map((name) => ({ find: new RegExp(`^${name}$`), replacement: esmEntry(name) })),
];

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  html: { cspNonce: CSP_NONCE_PLACEHOLDER },
  // The root workspace keeps React 18 for GraphiQL, and npm hoists urql, react-router, Testing
  // Library… beside it: every import of React, from anywhere, is the console's own React 19.
  resolve: { alias: [{ find: /^(react|react-dom)(\/.*)?$/, replacement: `${fileURLToPath(new URL('./node_modules/', import.meta.url))}$1$2` }] },
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false },
  test: {
    alias: ESM_BUILDS,
    environment: 'happy-dom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // Component tests that type and page through a list take ~1 s alone, several on a loaded CI machine.
    testTimeout: 30_000,
    // Run every package through Vite, so that the aliases above reach the imports inside them.
    server: { deps: { inline: true } },
  },
});
