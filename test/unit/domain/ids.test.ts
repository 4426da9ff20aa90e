import { isUuid, newEventStamp, newTimeOrderedId } from '../../../src/domain/ids.js';

/**
 * Audit events and SCIM request log entries are read in `at, id` order: ids made within one
 * millisecond must sort in the order they were made, or two events of one write (an adoption, then
 * the update) list either way round.
 */
test('time-ordered ids sort in the order they were made, within one millisecond and past 4,096 of them', () => {
  const now = Date.now() + 60_000;
  const ids = Array.from({ length: 10_000 }, () => newTimeOrderedId(now));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.every((id) => isUuid(id) && /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
  // a clock that goes back does not reorder them either
  const later = newTimeOrderedId(now - 5_000);
  expect(later > ids[ids.length - 1]).toBe(true);
});

test('an event stamp carries its time in its id', () => {
  const { id, at } = newEventStamp();
  // the id's first 48 bits are milliseconds: the stamp's own, or later when the counter ran past a millisecond
  const ms = parseInt(id.replaceAll('-', '').slice(0, 12), 16);
  expect(ms).toBeGreaterThanOrEqual(at.getTime());
});
