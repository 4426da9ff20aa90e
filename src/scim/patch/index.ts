/** The PATCH engine (RFC 7644 §3.5.2): pure, one request in, one resource and member delta out. */
export { applyPatch } from './apply.js';
export { normalisePatchBody, PATCH_OP_URN } from './normalise.js';
export { MemberTracker } from './members.js';
export type { AttributeTarget, ExtensionTarget, MemberDelta, MemberRef, PatchOpName, PatchOperation, PatchResult } from './types.js';
