/**
 * The replace operation (RFC 7644 §3.5.2.3): set a single value, merge sub-attributes into a
 * complex value, replace a whole multi-valued attribute or the elements a filter matches.
 */
import type { PatchDocument } from './document.js';
import type { PatchOperation } from './types.js';
import { writeOperation } from './write.js';

/** Applies one `replace`; on Group `members` it replaces the whole membership (as a delta). */
export function applyReplace(doc: PatchDocument, operation: PatchOperation): void {
  writeOperation(doc, operation, 'replace');
}
