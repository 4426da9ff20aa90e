/** The SCIM schema layer: registry, validation, projection and the typed errors. */
export * from './types';
export * from './errors';
export { SCHEMA_FILES, findSchemaDir, loadSchemaFiles, type LoadedSchemas } from './load';
export * from './registry';
export * from './validate';
export * from './projection';
export { coerceAttribute, coerceSimple, coerceComplex, parseBoolean, assertSinglePrimary } from './values';
export { isRecord, semanticEqual, isUnassigned, type JsonObject } from './json';
