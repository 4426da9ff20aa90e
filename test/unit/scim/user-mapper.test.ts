import { iso } from '../../../src/scim/resources/user-mapper.js';

describe('iso: meta timestamps as SCIM writes them', () => {
  it('writes a Date in Date#toISOString form', () => {
    expect(iso(new Date(Date.UTC(2026, 10, 30, 16, 22, 27, 785)))).toBe('2026-11-30T16:22:27.785Z');
  });
  it('keeps a string already in that form', () => {
    expect(iso('2026-11-30T16:22:27.785Z')).toBe('2026-11-30T16:22:27.785Z');
  });
  it.each([
    ['an offset', '2026-11-30T17:22:27.785+01:00'],
    ['microseconds', '2026-11-30T16:22:27.785123Z'],
    ['a space for T', '2026-11-30 16:22:27.785Z'],
  ])('rewrites any other form (%s) to it', (_label, value) => {
    expect(iso(value)).toBe('2026-11-30T16:22:27.785Z');
  });
  it('writes whole seconds with .000', () => {
    expect(iso('2026-11-30T16:22:27+00:00')).toBe('2026-11-30T16:22:27.000Z');
  });
});
