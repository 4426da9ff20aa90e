/** The SCIM schema layer: registry, validation, projection and the typed errors. */
export * from './types.js';
export * from './errors.js';
export { SCHEMA_FILES, findSchemaDir, loadSchemaFiles, type LoadedSchemas } from './load.js';
export * from './registry.js';
export * from './validate.js';
export * from './projection.js';
export { coerceAttribute, coerceSimple, coerceComplex, parseBoolean, assertSinglePrimary } from './values.js';
export { isRecord, semanticEqual, isUnassigned, type JsonObject } from './json.js';
