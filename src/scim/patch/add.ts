/**
 * The add operation (RFC 7644 §3.5.2.1): set a single value, merge sub-attributes into a complex
 * value, append to a multi-valued attribute (skipping values already present).
 */
import type { PatchDocument } from './document.js';
import type { PatchOperation } from './types.js';
import { writeOperation } from './write.js';

/** Applies one `add`; Entra sends Add where it means Replace, which these semantics absorb. */
export function applyAdd(doc: PatchDocument, operation: PatchOperation): void {
  writeOperation(doc, operation, 'add');
}
