import { FilterSyntaxError } from '../../../../src/scim/filter/ast.js';
import type { PatchPath } from '../../../../src/scim/filter/ast.js';
import { parsePatchPath } from '../../../../src/scim/filter/parser.js';
import { and, co, eq, not, or, path, pr } from './builders.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const QUERYPIE = 'urn:ietf:params:scim:schemas:extension:querypie:2.0:User';

describe('parsePatchPath (RFC 7644 §3.5.2)', () => {
  it.each<[string, PatchPath]>([
    ['members', { path: { attr: 'members' } }],
    ['name.familyName', { path: { attr: 'name', sub: 'familyName' } }],
    ['emails[type eq "work"]', { path: { attr: 'emails' }, filter: eq('type', 'work') }],
    ['emails[type eq "work"].value', { path: { attr: 'emails' }, filter: eq('type', 'work'), subAfterFilter: 'value' }],
    ['members[value eq "2819c223"]', { path: { attr: 'members' }, filter: eq('value', '2819c223') }],
    [`${ENTERPRISE}:manager`, { path: { urn: ENTERPRISE, attr: 'manager' } }],
    [`${ENTERPRISE}:manager.value`, { path: { urn: ENTERPRISE, attr: 'manager', sub: 'value' } }],
    [`${QUERYPIE}:staticIp`, { path: { urn: QUERYPIE, attr: 'staticIp' } }],
    [`${CORE_USER}:name.givenName`, { path: { urn: CORE_USER, attr: 'name', sub: 'givenName' } }],
    // Shapes the RFC's §3.5.2 examples and IdPs use beyond the list above.
    ['addresses[type eq "work"].streetAddress', { path: path('addresses'), filter: eq('type', 'work'), subAfterFilter: 'streetAddress' }],
    ['members[value eq "2819c223-7f76-453a-919d-413861904646"]', { path: path('members'), filter: eq('value', '2819c223-7f76-453a-919d-413861904646') }],
    ['emails[type eq "work" and primary eq true].value', { path: path('emails'), filter: and(eq('type', 'work'), eq('primary', true)), subAfterFilter: 'value' }],
    ['phoneNumbers[type eq "mobile" or not (value co "+1")]', { path: path('phoneNumbers'), filter: or(eq('type', 'mobile'), not(co('value', '+1'))) }],
    ['x509Certificates[value pr]', { path: path('x509Certificates'), filter: pr('value') }],
    [`${CORE_USER}:emails[type eq "work"].value`, { path: path(`${CORE_USER}:emails`), filter: eq('type', 'work'), subAfterFilter: 'value' }],
    ['  active  ', { path: path('active') }],
    ['EMAILS[TYPE EQ "work"].VALUE', { path: path('EMAILS'), filter: eq('TYPE', 'work'), subAfterFilter: 'VALUE' }],
  ])('%s', (input, expected) => {
    expect(parsePatchPath(input)).toEqual(expected);
  });

  it.each<[label: string, input: string, message: RegExp]>([
    ['empty path', '', /The path is empty/],
    ['blank path', '  ', /The path is empty/],
    ['string instead of a path', '"emails"', /Expected an attribute path at position 0/],
    ['bracket first', '[type eq "work"]', /Expected an attribute path at position 0/],
    ['two attributes', 'emails value', /Expected end of path at position 7, got 'value'/],
    ['three-level path', 'name.familyName.x', /more than one sub-attribute/],
    ['empty value filter', 'emails[]', /Empty value filter/],
    ['unclosed value filter', 'emails[type eq "work"', /Missing '\]' for the '\[' at position 6/],
    ['nested value filter', 'emails[type[value pr]]', /Nested value filter/],
    ['dot without a name', 'emails[type eq "work"].', /Expected a sub-attribute name after '\.' at position 22/],
    ['space before the sub-attribute', 'emails[type eq "work"] .value', /Unexpected character '\.'/],
    ['two sub-attributes', 'emails[type eq "work"].value.x', /Unexpected character '\.'/],
    ['trailing filter logic', 'emails[type eq "work"] and x pr', /Expected end of path at position 23, got 'and'/],
    ['filter syntax error', 'emails[type eq]', /Expected a value .* at position 14, got '\]'/],
    ['URN without a namespace', 'urn:bad prefix:x', /Invalid schema URN 'urn'/],
    ['colon-only prefix', 'foo:bar', /Invalid schema URN 'foo'/],
    ['trailing colon', `${ENTERPRISE}:`, /Missing attribute name/],
    ['value filter on a sub-attribute', 'name.givenName[value pr]', /cannot follow the sub-attribute path/],
    ['too long', `a${'b'.repeat(4096)}`, /longer than 4096 characters/],
  ])('rejects %s', (_label, input, message) => {
    expect(() => parsePatchPath(input)).toThrow(FilterSyntaxError);
    expect(() => parsePatchPath(input)).toThrow(message);
  });
});
