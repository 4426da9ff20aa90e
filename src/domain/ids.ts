import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical uuid; anything else must never reach Postgres as a uuid (it would error). */
export const isUuid = (id: string): boolean => UUID.test(id);

/** A new resource id. */
export const newId = (): string => randomUUID();
