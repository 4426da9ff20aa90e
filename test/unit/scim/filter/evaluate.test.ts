import { matchesFilter } from '../../../../src/scim/filter/evaluate.js';
import { parseFilter } from '../../../../src/scim/filter/parser.js';
import { and, cmp, eq, not, or, pr, vp } from './builders.js';

const WORK_EMAIL = { type: 'work', value: 'Jane.Doe@Example.com', primary: true, rank: 2 };

describe('matchesFilter', () => {
  describe('on a multi-valued element', () => {
    it.each<[filter: string, expected: boolean]>([
      ['type eq "work"', true],
      ['type eq "home"', false],
      ['type ne "home"', true],
      ['type ne "work"', false],
      ['TYPE eq "WORK"', true],
      ['value co "@example"', true],
      ['value sw "jane"', true],
      ['value ew ".COM"', true],
      ['value ew ".org"', false],
      ['type eq "work" and value co "@example.com"', true],
      ['type eq "work" and value co "@foo.com"', false],
      ['type eq "home" or value co "@example.com"', true],
      ['not (type eq "home")', true],
      ['not (type eq "work")', false],
      ['primary eq true', true],
      ['primary eq false', false],
      ['primary eq "true"', false],
      ['rank eq 2', true],
      ['rank gt 1', true],
      ['rank ge 2', true],
      ['rank lt 2', false],
      ['rank le 2', true],
      ['rank gt 10', false],
      ['rank eq "2"', false],
      ['rank co 2', false],
      ['type gt "wor"', true],
      ['type lt "x"', true],
      ['type ge "WORK"', true],
      ['type le "a"', false],
      ['primary gt false', false],
      ['primary le true', false],
      ['display pr', false],
      ['display eq null', true],
      ['type eq null', false],
      ['type ne null', true],
      ['type pr', true],
      ['value co ""', true],
    ])('%s → %s', (filter, expected) => {
      expect(matchesFilter(parseFilter(filter), WORK_EMAIL)).toBe(expected);
    });
  });

  it.each<[label: string, element: unknown, expected: boolean]>([
    ['present value', { value: 'x' }, true],
    ['null', { value: null }, false],
    ['empty string', { value: '' }, false],
    ['empty array', { value: [] }, false],
    ['array of empties', { value: [null, ''] }, false],
    ['array with a value', { value: ['', 'x'] }, true],
    ['false is a value', { value: false }, true],
    ['zero is a value', { value: 0 }, true],
    ['empty object', { value: {} }, false],
    ['object with a value', { value: { a: 1 } }, true],
    ['absent', {}, false],
    ['not an object', 'value', false],
    ['null element', null, false],
  ])('pr: %s', (_label, element, expected) => {
    expect(matchesFilter(pr('value'), element)).toBe(expected);
  });

  it('honours caseExact per sub-attribute', () => {
    const caseExact = (name: string): boolean => name === 'value';
    expect(matchesFilter(eq('value', 'jane.doe@example.com'), WORK_EMAIL, { caseExact })).toBe(false);
    expect(matchesFilter(eq('value', 'Jane.Doe@Example.com'), WORK_EMAIL, { caseExact })).toBe(true);
    expect(matchesFilter(eq('type', 'WORK'), WORK_EMAIL, { caseExact })).toBe(true);
    expect(matchesFilter(cmp('co', 'value', 'example'), WORK_EMAIL, { caseExact })).toBe(false);
    expect(matchesFilter(cmp('lt', 'value', 'a'), WORK_EMAIL, { caseExact })).toBe(true);
  });

  it('looks into nested objects for sub-attributes', () => {
    const user = { name: { givenName: 'Jane', familyName: "O'Malley" } };
    expect(matchesFilter(parseFilter('name.givenName eq "jane"'), user)).toBe(true);
    expect(matchesFilter(parseFilter('NAME.FAMILYNAME co "o\'mal"'), user)).toBe(true);
    expect(matchesFilter(parseFilter('name.middleName pr'), user)).toBe(false);
    expect(matchesFilter(parseFilter('name.givenName pr'), user)).toBe(true);
    expect(matchesFilter(parseFilter('name.givenName pr'), { name: 'Jane' })).toBe(false);
    const caseExact = (name: string): boolean => name === 'name.givenName';
    expect(matchesFilter(parseFilter('name.givenName eq "jane"'), user, { caseExact })).toBe(false);
  });

  it('prefers the exact key when keys differ only in case', () => {
    expect(matchesFilter(eq('Type', 'b'), { type: 'a', Type: 'b' })).toBe(true);
  });

  describe('on a whole resource', () => {
    const user = {
      userName: 'jane',
      emails: [
        { type: 'home', value: 'jane@home.org' },
        { type: 'work', value: 'jane@example.com' },
      ],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '701984', manager: { value: 'm1' } },
      meta: { lastModified: '2011-05-13T04:42:34Z' },
    };

    it.each<[filter: string, expected: boolean]>([
      ['emails[type eq "work" and value co "@example.com"]', true],
      ['emails[type eq "home" and value co "@example.com"]', false],
      ['emails.value co "home.org"', true],
      ['emails co "example.com"', true],
      ['emails.type eq "other"', false],
      ['emails.type ne "other"', true],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"', true],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "M1"', true],
      ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "JANE"', true],
      ['meta.lastModified gt "2011-05-13T04:42:33Z"', true],
      ['meta.lastModified lt "2011-05-13T04:42:34Z"', false],
      ['meta.lastModified le "2011-05-13T04:42:34Z"', true],
    ])('%s → %s', (filter, expected) => {
      expect(matchesFilter(parseFilter(filter), user)).toBe(expected);
    });

    it('names inner attributes relative to the resource for caseExact', () => {
      const seen: string[] = [];
      const caseExact = (name: string): boolean => {
        seen.push(name);
        return false;
      };
      matchesFilter(vp('emails', or(eq('type', 'x'), eq('value', 'y'))), user, { caseExact });
      expect(new Set(seen)).toEqual(new Set(['emails.type', 'emails.value']));
    });
  });

  it('evaluates a built tree the same as a parsed one', () => {
    const tree = and(eq('type', 'work'), not(or(eq('value', 'x'), pr('missing'))));
    expect(matchesFilter(tree, WORK_EMAIL)).toBe(true);
  });
});
