import { FilterSyntaxError } from '../../../../src/scim/filter/ast.js';
import type { FilterNode } from '../../../../src/scim/filter/ast.js';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter } from '../../../../src/scim/filter/parser.js';
import { and, cmp, co, eq, ne, not, or, pr, sw, vp } from './builders.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const DATE = '2011-05-13T04:42:34Z';

type Case = [label: string, input: string, expected: FilterNode];

describe('parseFilter', () => {
  // RFC 7644 §3.4.2.2, the list of example filters (plus "userName Eq" from the text above it).
  it.each<Case>([
    ['case-insensitive operator', 'userName Eq "john"', eq('userName', 'john')],
    ['eq', 'userName eq "bjensen"', eq('userName', 'bjensen')],
    ['co with a quote', 'name.familyName co "O\'Malley"', co('name.familyName', "O'Malley")],
    ['sw', 'userName sw "J"', sw('userName', 'J')],
    ['URN-qualified', `${CORE_USER}:userName sw "J"`, sw(`${CORE_USER}:userName`, 'J')],
    ['pr', 'title pr', pr('title')],
    ['gt dateTime', `meta.lastModified gt "${DATE}"`, cmp('gt', 'meta.lastModified', DATE)],
    ['ge dateTime', `meta.lastModified ge "${DATE}"`, cmp('ge', 'meta.lastModified', DATE)],
    ['lt dateTime', `meta.lastModified lt "${DATE}"`, cmp('lt', 'meta.lastModified', DATE)],
    ['le dateTime', `meta.lastModified le "${DATE}"`, cmp('le', 'meta.lastModified', DATE)],
    ['pr and', 'title pr and userType eq "Employee"', and(pr('title'), eq('userType', 'Employee'))],
    ['pr or', 'title pr or userType eq "Intern"', or(pr('title'), eq('userType', 'Intern'))],
    ['URN as a value', `schemas eq "${ENTERPRISE}"`, eq('schemas', ENTERPRISE)],
    [
      'and with a parenthesised or',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(eq('userType', 'Employee'), or(co('emails', 'example.com'), co('emails.value', 'example.org'))),
    ],
    [
      'ne and not',
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(ne('userType', 'Employee'), not(or(co('emails', 'example.com'), co('emails.value', 'example.org')))),
    ],
    ['parenthesised single comparison', 'userType eq "Employee" and (emails.type eq "work")', and(eq('userType', 'Employee'), eq('emails.type', 'work'))],
    [
      'and with a value path',
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(eq('userType', 'Employee'), vp('emails', and(eq('type', 'work'), co('value', '@example.com')))),
    ],
    [
      'or of two value paths',
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(vp('emails', and(eq('type', 'work'), co('value', '@example.com'))), vp('ims', and(eq('type', 'xmpp'), co('value', '@foo.com')))),
    ],
  ])('RFC 7644 §3.4.2.2: %s', (_label, input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });

  // DESIGN.md §4.1: what Okta and Entra send.
  it.each<Case>([
    ['Okta / Entra user lookup', 'userName eq "jane.doe@example.com"', eq('userName', 'jane.doe@example.com')],
    ['externalId lookup', 'externalId eq "alex.w"', eq('externalId', 'alex.w')],
    [
      'Entra membership probe',
      'id eq "5f2a9c1e-0000-4000-8000-000000000001" and members[value eq "2819c223-7f76-453a-919d-413861904646"]',
      and(eq('id', '5f2a9c1e-0000-4000-8000-000000000001'), vp('members', eq('value', '2819c223-7f76-453a-919d-413861904646'))),
    ],
    ['Okta group lookup', 'displayName eq "Retail Ops"', eq('displayName', 'Retail Ops')],
    ['member filter', 'members[value eq "abc"]', vp('members', eq('value', 'abc'))],
    ['enterprise extension attribute', `${ENTERPRISE}:employeeNumber eq "701984"`, eq(`${ENTERPRISE}:employeeNumber`, '701984')],
    ['extension sub-attribute', `${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, eq(`${ENTERPRISE}:manager.value`, '26118915-6090-4610-87e4-49d8ca9f808d')],
  ])('IdP: %s', (_label, input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });

  it.each<Case>([
    ['a or b and c = a or (b and c)', 'a pr or b pr and c pr', or(pr('a'), and(pr('b'), pr('c')))],
    ['a and b or c = (a and b) or c', 'a pr and b pr or c pr', or(and(pr('a'), pr('b')), pr('c'))],
    ['and is left-associative', 'a pr and b pr and c pr', and(and(pr('a'), pr('b')), pr('c'))],
    ['or is left-associative', 'a pr or b pr or c pr', or(or(pr('a'), pr('b')), pr('c'))],
    ['parentheses override', '(a pr or b pr) and c pr', and(or(pr('a'), pr('b')), pr('c'))],
    ['not binds tighter than and', 'not (a pr) and b pr', and(not(pr('a')), pr('b'))],
    ['not after and', 'a pr and not (b pr) or c pr', or(and(pr('a'), not(pr('b'))), pr('c'))],
    ['double not', 'not (not (a pr))', not(not(pr('a')))],
    ['redundant parentheses', '((a pr))', pr('a')],
    ['not inside a value filter', 'emails[not (type eq "work")]', vp('emails', not(eq('type', 'work')))],
    ['precedence inside a value filter', 'emails[type eq "a" or type eq "b" and primary eq true]', vp('emails', or(eq('type', 'a'), and(eq('type', 'b'), eq('primary', true))))],
  ])('precedence: %s', (_label, input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });

  it.each<Case>([
    ['EQ', 'userName EQ "x"', eq('userName', 'x')],
    ['And', 'a pr And b pr', and(pr('a'), pr('b'))],
    ['OR', 'a pr OR b pr', or(pr('a'), pr('b'))],
    ['NOT', 'NOT (a pr)', not(pr('a'))],
    ['PR', 'title PR', pr('title')],
    ['Co', 'a Co "x"', co('a', 'x')],
    ['attribute names keep their case', 'USERNAME eq "x"', eq('USERNAME', 'x')],
  ])('case-insensitive keywords: %s', (_label, input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });

  it.each<Case>([
    ['integer', 'age gt 30', cmp('gt', 'age', 30)],
    ['negative decimal', 'balance le -12.5', cmp('le', 'balance', -12.5)],
    ['exponent', 'n eq 1e3', eq('n', 1000)],
    ['true', 'active eq true', eq('active', true)],
    ['False', 'active eq False', eq('active', false)],
    ['null', 'title eq null', eq('title', null)],
    ['NULL', 'title ne NULL', ne('title', null)],
    ['escaped quotes', 'displayName eq "say \\"hi\\""', eq('displayName', 'say "hi"')],
    ['escaped backslash', 'displayName eq "a\\\\b"', eq('displayName', 'a\\b')],
    ['unicode escape', 'displayName eq "\\u00c9mile"', eq('displayName', 'Émile')],
    ['keywords inside a string', 'displayName eq "a and b or not (c)"', eq('displayName', 'a and b or not (c)')],
    ['empty string', 'nickName eq ""', eq('nickName', '')],
    ['no spaces around parentheses', '(a pr)and(b pr)', and(pr('a'), pr('b'))],
    ['extra whitespace', '  a  eq\t"x"  ', eq('a', 'x')],
    ['$ref sub-attribute', 'members.$ref pr', pr('members.$ref')],
    ['every operator', 'a ew "z"', cmp('ew', 'a', 'z')],
    ['number before a parenthesis', '(age gt 30)', cmp('gt', 'age', 30)],
    ['surrogate pair escape', 'nickName eq "\\ud83d\\ude00"', eq('nickName', '\u{1F600}')],
  ])('values: %s', (_label, input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });

  it.each<[label: string, input: string, message: RegExp]>([
    ['empty input', '', /The filter is empty/],
    ['blank input', '   ', /The filter is empty/],
    ['unterminated string', 'userName eq "john', /Unterminated string starting at position 12/],
    ['missing value', 'userName eq', /Missing value after 'eq' at position 11/],
    ['missing value before and', 'userName eq and b pr', /Expected a value .* at position 12, got 'and'/],
    ['unquoted value', 'userName eq john', /Expected a value .* at position 12, got 'john'/],
    ['unknown operator', 'userName is "john"', /Unknown operator 'is' at position 9/],
    ['missing operator', 'userName', /Expected an operator after 'userName' at position 8/],
    ['value instead of operator', 'userName "john"', /Unknown operator '"john"' at position 9/],
    ['not without parentheses', 'not userName eq "x"', /'not' at position 0 must be followed by '\('/],
    ['not at the end', 'a pr and not', /'not' at position 9 must be followed by '\(' .*, got end of filter/],
    ['unclosed parenthesis', '(a pr and b pr', /Missing '\)' for the '\(' at position 0/],
    ['extra closing parenthesis', 'a pr)', /Unbalanced '\)' at position 4/],
    ['closing parenthesis first', ')', /Expected an attribute name, '\(' or 'not' at position 0, got '\)'/],
    ['empty parentheses', '()', /Expected an attribute name.* at position 1, got '\)'/],
    ['trailing tokens', 'a pr b pr', /Expected 'and', 'or' or end of filter at position 5, got 'b'/],
    ['trailing value', 'a eq "x" "y"', /at position 9, got '"y"'/],
    ['dangling and', 'a pr and', /Expected an attribute name, '\(' or 'not' at position 8, got end of filter/],
    ['leading or', 'or a pr', /Expected an attribute name.* at position 0, got 'or'/],
    ['pr with a value', 'title pr "x"', /got '"x"'/],
    ['nested brackets', 'emails[type[value eq "x"]]', /Nested value filter 'type\[' at position 11/],
    ['empty value filter', 'emails[]', /Empty value filter 'emails\[\]' at position 6/],
    ['blank value filter', 'emails[ ]', /Empty value filter/],
    ['unclosed value filter', 'emails[type eq "work"', /Missing '\]' for the '\[' at position 6/],
    ['unbalanced bracket', 'emails[type pr]]', /Unbalanced '\]' at position 15/],
    ['parenthesis closing a bracket', 'emails[type pr)', /Expected 'and', 'or' or '\]' at position 14, got '\)'/],
    ['bracket closing a parenthesis', '(type pr]', /Expected 'and', 'or' or '\)' at position 8, got '\]'/],
    ['dotted path inside a value filter', 'emails[emails.type eq "work"]', /Inside 'emails\[...\]' attribute paths are sub-attribute names/],
    ['URN inside a value filter', `emails[${CORE_USER}:type eq "w"]`, /sub-attribute names/],
    ['value filter on a sub-attribute', 'name.givenName[value pr]', /cannot follow the sub-attribute path/],
    ['sub-attribute after a value filter', 'emails[type pr].value eq "x"', /only allowed in PATCH paths/],
    ['three-level path', 'a.b.c eq "x"', /more than one sub-attribute/],
    ['bad character', 'a eq "x" & b pr', /Unexpected character '&' at position 9/],
  ])('rejects %s', (_label, input, message) => {
    expect(() => parseFilter(input)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(input)).toThrow(message);
  });

  it('reports the position on the error', () => {
    expect(() => parseFilter('userName xx "j"')).toThrow(expect.objectContaining({ position: 9 }));
  });

  describe('limits', () => {
    it(`accepts ${MAX_FILTER_LENGTH} characters and rejects one more`, () => {
      const fits = `a eq "${'x'.repeat(MAX_FILTER_LENGTH - 7)}"`;
      expect(fits).toHaveLength(MAX_FILTER_LENGTH);
      expect(parseFilter(fits)).toEqual(eq('a', 'x'.repeat(MAX_FILTER_LENGTH - 7)));
      expect(() => parseFilter(`${fits} `)).toThrow(/longer than 4096 characters/);
    });

    it(`accepts nesting ${MAX_FILTER_DEPTH} deep and rejects ${MAX_FILTER_DEPTH + 1}`, () => {
      const nested = (depth: number): string => `${'('.repeat(depth)}a pr${')'.repeat(depth)}`;
      expect(parseFilter(nested(MAX_FILTER_DEPTH))).toEqual(pr('a'));
      expect(() => parseFilter(nested(MAX_FILTER_DEPTH + 1))).toThrow(/nests deeper than 50 levels at position 50/);
    });

    it('counts not and value filters towards the depth', () => {
      const nots = (depth: number): string => `${'not ('.repeat(depth)}a pr${')'.repeat(depth)}`;
      expect(() => parseFilter(nots(MAX_FILTER_DEPTH))).not.toThrow();
      expect(() => parseFilter(nots(MAX_FILTER_DEPTH + 1))).toThrow(FilterSyntaxError);
      const inBrackets = `x[${'('.repeat(MAX_FILTER_DEPTH)}a pr${')'.repeat(MAX_FILTER_DEPTH)}]`;
      expect(() => parseFilter(inBrackets)).toThrow(/nests deeper/);
    });

    it('does not count siblings as depth', () => {
      const wide = Array.from({ length: 200 }, (_, i) => `(a${i} pr)`).join(' and ');
      expect(() => parseFilter(wide)).not.toThrow();
    });
  });
});
