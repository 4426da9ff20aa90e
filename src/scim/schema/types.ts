/**
 * Types of the SCIM schema representation (RFC 7643 §7, §8.7.1). The JSON files in schema/scim
 * are parsed into these once; validation, projection, PATCH and filtering all read them.
 */

/** RFC 7643 §2.3 data types. */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';

/** RFC 7643 §7 `mutability`. */
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';

/** RFC 7643 §7 `returned`. */
export type Returned = 'always' | 'never' | 'default' | 'request';

/** RFC 7643 §7 `uniqueness`. */
export type Uniqueness = 'none' | 'server' | 'global';

/** One attribute (or sub-attribute) definition, as served by `/Schemas`. */
export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

/** A Schema resource (RFC 7643 §7): core schema, extension, or Roster's common-attribute list. */
export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

/** The SCIM resource types Roster serves. */
export type ResourceTypeName = 'User' | 'Group';

/** A resource type's schemas (RFC 7643 §6 `schema` and `schemaExtensions`). */
export interface ResourceSchema {
  readonly resourceType: ResourceTypeName;
  readonly core: SchemaDefinition;
  readonly extensions: readonly { readonly schema: SchemaDefinition; readonly required: boolean }[];
}

/** A SCIM resource as plain JSON: core attributes at the top, extension objects keyed by URN. */
export type ScimResource = Record<string, unknown>;

/**
 * An attribute path resolved against the schemas: the definitions and the canonical names.
 * `schemaId` is the core schema id for core and common attributes.
 */
export interface ResolvedAttribute {
  readonly schemaId: string;
  /** true when the attribute lives in an extension object keyed by `schemaId` */
  readonly extension: boolean;
  /** true for RFC 7643 §3.1 common attributes (schemas, id, externalId, meta) */
  readonly common: boolean;
  readonly attribute: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
}
