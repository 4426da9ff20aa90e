import { cloneJson } from '../../../../src/scim/schema/json.js';

/** The copy every PATCH makes of the resource before applying its operations. */
describe('cloneJson', () => {
  it('copies objects and arrays all the way down: changing the copy leaves the original as it was', () => {
    const original = { userName: 'a', name: { givenName: 'A' }, emails: [{ value: 'a@example.com', primary: true }], tags: [[1, 2], null] };
    const copy = cloneJson(original);
    expect(copy).toEqual(original);
    copy.name.givenName = 'B';
    copy.emails[0].value = 'b@example.com';
    copy.emails.push({ value: 'c@example.com', primary: false });
    (copy.tags[0] as number[]).push(3);
    expect(original).toEqual({ userName: 'a', name: { givenName: 'A' }, emails: [{ value: 'a@example.com', primary: true }], tags: [[1, 2], null] });
  });

  it('keeps a parsed "__proto__" key as a key, never as the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('copies what is not plain JSON (a Date) as a value of its own kind', () => {
    const when = new Date('2026-12-02T00:00:00Z');
    const copy = cloneJson({ when });
    // (structuredClone's Date comes from Node's own realm, not the test's: compared by its tag)
    expect(Object.prototype.toString.call(copy.when)).toBe('[object Date]');
    expect(copy.when).not.toBe(when);
    expect(copy.when.getTime()).toBe(when.getTime());
  });
});
