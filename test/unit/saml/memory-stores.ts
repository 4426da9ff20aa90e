import type { SamlAssertionStore, SamlRequestStore } from '../../../src/saml/verify-response.js';

/** The request store's contract in memory: ids are issued, and each can be taken once. */
export class MemoryRequestStore implements SamlRequestStore {
  private readonly open = new Set<string>();

  issue(requestId: string): string {
    this.open.add(requestId);
    return requestId;
  }

  async take(requestId: string): Promise<boolean> {
    return this.open.delete(requestId);
  }
}

/** The assertion replay cache's contract in memory: an id is remembered until its keepUntil. */
export class MemoryAssertionStore implements SamlAssertionStore {
  readonly kept = new Map<string, Date>();

  async remember(assertionId: string, keepUntil: Date): Promise<boolean> {
    const until = this.kept.get(assertionId);
    if (until && until.getTime() > Date.now()) return false;
    this.kept.set(assertionId, keepUntil);
    return true;
  }
}
