// ESLint (flat config): typescript-eslint's recommended rules, Prettier owns the formatting, and
// import rules that keep src/ in the layers DESIGN.md §1 draws. test/ and bench/ are exempt from the
// layer rules. The layer rules match import specifiers as written (relative, with .js extensions).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Database packages: only src/persistence may import them. */
const DB_PACKAGES = {
  regex: '^(@mikro-orm/|kysely(/|$)|pg(/|$)|@electric-sql/pglite|pglite-)',
  message: 'Only src/persistence talks to the database (MikroORM, Kysely, pg, PGlite): go through the Store.',
};

/** Persistence internals: entities and SQL stay behind the Store (domain may name entity types). */
const PERSISTENCE_INTERNALS = {
  regex: '^(\\./|(\\.\\./)+)persistence/(entities|sql)(/|\\.js$)',
  message: 'Entities and SQL are persistence internals: use persistence/store.js or persistence/database.js.',
};

/** An import of another top-level folder (or root module) of src/, from anywhere below src/. */
const layer = (names, suffix = '(/|\\.js$)') => `^(\\./|(\\.\\./)+)(${names})${suffix}`;

const DOMAIN = [
  {
    regex: layer('graphql|scim|http|cli'),
    message: 'The domain knows no protocol: it must not import graphql/, scim/, http/ or cli/.',
  },
  { regex: layer('app|main|bootstrap', '\\.js$'), message: 'The domain must not import the application wiring.' },
  {
    regex: '^(koa|@koa/|koa-|@apollo/|@as-integrations/|graphql$|graphql/|graphql-|type-graphql)',
    message: 'The domain knows no protocol: no Koa, Apollo, GraphQL or TypeGraphQL.',
  },
  DB_PACKAGES,
];

const SCIM = [
  {
    regex: layer('domain|persistence'),
    message: 'The SCIM facade reaches the directory only through the GraphQL gateway (scim/gateway.ts), never domain/ or persistence/.',
  },
  { regex: layer('auth', '/(?!principal\\.js$)'), message: 'The SCIM facade may use only the Principal type from auth/.' },
  { regex: layer('auth', '/principal\\.js$'), allowTypeImports: true, message: 'The SCIM facade may use auth/principal.js for types only.' },
  DB_PACKAGES,
];

/** The facade outside the gateway: no GraphQL machinery, only the GraphQL error codes. */
const SCIM_OUTSIDE_GATEWAY = [
  ...SCIM,
  {
    regex: layer('graphql', '/(?!format-error\\.js$)'),
    message: 'Only scim/gateway.ts talks to GraphQL; elsewhere the facade may use only the error codes (graphql/format-error.js).',
  },
  { regex: '^(graphql|type-graphql|@apollo/)', message: 'Only scim/gateway.ts talks to GraphQL.' },
];

const OUTER = [DB_PACKAGES, PERSISTENCE_INTERNALS];

const restrict = (patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns }] });

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'data/', 'bench/results/', 'console/dist/', 'test/fixtures/', '.roster-test/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  // Type-aware rules where they pay (floating and misused promises, unsafe any) on src/ only: tests
  // read untyped response bodies everywhere, and typing all of test/ too doubles the run time.
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // async without await is how Apollo's plugin hooks (and other promise-returning interfaces) are filled.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // These coerce untrusted input (SCIM bodies and query strings, driver values) with String() on
    // purpose: an object becomes '[object Object]', which validation then refuses.
    files: ['src/scim/resources/**/*.ts', 'src/persistence/rows.ts'],
    rules: { '@typescript-eslint/no-base-to-string': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['warn', { max: 300 }],
      // Configuration comes from src/config, which alone reads the environment.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/config reads process.env: take it from the Config.' }],
    },
  },
  { files: ['src/config/**/*.ts'], rules: { 'no-restricted-properties': 'off' } },
  // The admin console (a browser app, its own tsconfig): the rules of hooks on top of the above.
  { files: ['console/**/*.{ts,tsx}'], extends: [reactHooks.configs.flat.recommended] },
  { files: ['console/**/*.tsx'], rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }] } },
  { files: ['src/domain/**/*.ts', 'src/persistence/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'error' } },
  // Layers (DESIGN.md §1). A later block replaces an earlier one's options for the same rule.
  { files: ['src/**/*.ts'], ignores: ['src/persistence/**'], rules: restrict(OUTER) },
  { files: ['src/domain/**/*.ts'], rules: restrict(DOMAIN) },
  { files: ['src/scim/**/*.ts'], rules: restrict(SCIM_OUTSIDE_GATEWAY) },
  { files: ['src/scim/gateway.ts'], rules: restrict(SCIM) },
  prettier,
);
