import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical uuid; anything else must never reach Postgres as a uuid (it would error). */
export const isUuid = (id: string): boolean => UUID.test(id);

/** A new resource id. */
export const newId = (): string => randomUUID();

let lastMs = 0;
let seq = 0;

/**
 * A UUIDv7: 48 bits of milliseconds, then a 12-bit counter within the millisecond, then random. Ids
 * one process makes sort in the order it made them, even within one millisecond: with `at, id` as
 * the order of an audit log (or of the SCIM request log), two events written in the same
 * millisecond keep the order they happened in (a random id put them either way).
 */
export function newTimeOrderedId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else if (++seq > 0xfff) {
    lastMs++;
    seq = 0;
  }
  // randomUUID draws from node's buffered random pool (randomBytes(16) per id cost more).
  const random = randomUUID().replaceAll('-', '');
  const time = lastMs.toString(16).padStart(12, '0');
  const h = `${time}7${seq.toString(16).padStart(3, '0')}${((parseInt(random[16], 16) & 0x3) | 0x8).toString(16)}${random.slice(17)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The id and time of a new audit event, from one reading of the clock. */
export function newEventStamp(): { id: string; at: Date } {
  const at = new Date();
  return { id: newTimeOrderedId(at.getTime()), at };
}
