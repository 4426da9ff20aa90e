import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Uniqueness, VersionMismatch } from './errors/domain-errors';

/**
 * Runs `fn` in one transaction and turns the database's verdicts into domain errors: the unique
 * constraint decides concurrent creates, and the version column decides concurrent updates.
 */
export async function inTransaction<T>(em: EntityManager, fn: (tx: EntityManager) => Promise<T>, uniqueMessage?: (constraint: string) => string): Promise<T> {
  try {
    return await em.transactional((tx) => fn(tx as EntityManager));
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      const constraint = /unique constraint "([^"]+)"/.exec(err.message)?.[1] ?? '';
      throw new Uniqueness(uniqueMessage?.(constraint) ?? 'A unique value is already taken.');
    }
    if (err instanceof OptimisticLockError) throw new VersionMismatch(-1);
    throw err;
  }
}
