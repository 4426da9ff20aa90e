/**
 * Thrown at the end of an exhaustive switch: the `never` parameter makes the compiler reject the
 * switch when a new case (AST node kind, token kind) is added but not handled.
 */
export class UnreachableCaseError extends Error {
  override readonly name = 'UnreachableCaseError';
  constructor(value: never) {
    super(`Unreachable case: ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
