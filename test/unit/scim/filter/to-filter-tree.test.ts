import type { FilterTree } from '../../../../src/scim/filter/filter-tree.js';
import type { AttrPath } from '../../../../src/scim/filter/ast.js';
import { parseFilter } from '../../../../src/scim/filter/parser.js';
import { toFilterTree } from '../../../../src/scim/filter/to-filter-tree.js';
import type { PathResolver } from '../../../../src/scim/filter/to-filter-tree.js';
import { and, eq, not, or, pr, vp } from './builders.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A toy schema: canonical casing, core URN dropped, unknown names rejected, as the caller would. */
const CANONICAL: Record<string, string> = {
  username: 'userName',
  usertype: 'userType',
  title: 'title',
  emails: 'emails',
  'emails.value': 'emails.value',
  'emails.type': 'emails.type',
  ims: 'ims',
  members: 'members',
  'members.value': 'members.value',
  id: 'id',
  'name.familyname': 'name.familyName',
  'meta.lastmodified': 'meta.lastModified',
  [`${ENTERPRISE.toLowerCase()}:employeenumber`]: `${ENTERPRISE}:employeeNumber`,
};

function dotted(path: AttrPath): string {
  const name = path.sub === undefined ? path.attr : `${path.attr}.${path.sub}`;
  return (path.urn === undefined || path.urn === CORE_USER ? name : `${path.urn}:${name}`).toLowerCase();
}

const resolver: PathResolver = {
  resolve(path) {
    const found = CANONICAL[dotted(path)];
    if (found === undefined) throw new Error(`unknown attribute ${dotted(path)}`);
    return found;
  },
  resolveSub(parent, sub) {
    const found = CANONICAL[`${parent}.${dotted(sub)}`.toLowerCase()];
    if (found === undefined) throw new Error(`unknown sub-attribute ${parent}.${dotted(sub)}`);
    return found.slice(parent.length + 1);
  },
};

const cmp = (path: string, op: NonNullable<FilterTree['compare']>['op'], value?: string | number | boolean | null): FilterTree =>
  op === 'pr' ? { compare: { path, op } } : { compare: { path, op, value } };

describe('toFilterTree', () => {
  it.each<[input: string, expected: FilterTree]>([
    ['userName Eq "john"', cmp('userName', 'eq', 'john')],
    ['USERNAME eq "john"', cmp('userName', 'eq', 'john')],
    [`${CORE_USER}:userName sw "J"`, cmp('userName', 'sw', 'J')],
    [`${ENTERPRISE}:EmployeeNumber eq "7"`, cmp(`${ENTERPRISE}:employeeNumber`, 'eq', '7')],
    ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
    ['title pr', cmp('title', 'pr')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
    ['title eq null', cmp('title', 'eq', null)],
    ['id eq 5', cmp('id', 'eq', 5)],
    ['emails.value co "example.org"', cmp('emails.value', 'co', 'example.org')],
    ['title pr and userType eq "Employee"', { and: [cmp('title', 'pr'), cmp('userType', 'eq', 'Employee')] }],
    ['title pr or userType eq "Intern"', { or: [cmp('title', 'pr'), cmp('userType', 'eq', 'Intern')] }],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      {
        and: [cmp('userType', 'ne', 'Employee'), { not: { or: [cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')] } }],
      },
    ],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      {
        and: [cmp('userType', 'eq', 'Employee'), { any: { path: 'emails', where: { and: [cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')] } } }],
      },
    ],
    ['id eq "g1" and members[VALUE eq "u1"]', { and: [cmp('id', 'eq', 'g1'), { any: { path: 'members', where: cmp('value', 'eq', 'u1') } }] }],
    // A run of one operator becomes one array; mixed operators keep their shape (no DNF).
    ['title pr and id pr and userName pr', { and: [cmp('title', 'pr'), cmp('id', 'pr'), cmp('userName', 'pr')] }],
    ['title pr or id pr or userName pr', { or: [cmp('title', 'pr'), cmp('id', 'pr'), cmp('userName', 'pr')] }],
    ['title pr and (id pr and userName pr)', { and: [cmp('title', 'pr'), cmp('id', 'pr'), cmp('userName', 'pr')] }],
    ['(title pr or id pr) and (userName pr or userType pr)', { and: [{ or: [cmp('title', 'pr'), cmp('id', 'pr')] }, { or: [cmp('userName', 'pr'), cmp('userType', 'pr')] }] }],
    ['title pr or id pr and userName pr', { or: [cmp('title', 'pr'), { and: [cmp('id', 'pr'), cmp('userName', 'pr')] }] }],
    ['not (not (title pr))', { not: { not: cmp('title', 'pr') } }],
  ])('%s', (input, expected) => {
    expect(toFilterTree(parseFilter(input), resolver)).toEqual(expected);
  });

  it('propagates the resolver errors for unknown attributes', () => {
    expect(() => toFilterTree(parseFilter('nope eq "x"'), resolver)).toThrow('unknown attribute nope');
    expect(() => toFilterTree(parseFilter('emails[nope eq "x"]'), resolver)).toThrow('unknown sub-attribute emails.nope');
  });

  it('resolves inner paths with the parent’s canonical name', () => {
    const calls: string[] = [];
    const spy: PathResolver = {
      resolve: (path) => {
        calls.push(`resolve ${path.attr}`);
        return 'Parent';
      },
      resolveSub: (parent, sub) => {
        calls.push(`resolveSub ${parent} ${sub.attr}`);
        return sub.attr;
      },
    };
    toFilterTree(vp('emails', or(eq('type', 'a'), pr('value'))), spy);
    expect(calls).toEqual(['resolve emails', 'resolveSub Parent type', 'resolveSub Parent value']);
  });

  it('keeps a deep left-leaning chain flat without recursion limits', () => {
    const many = Array.from({ length: 400 }, () => pr('title'));
    const tree = toFilterTree(and(many[0], ...many.slice(1)), resolver);
    expect(tree.and).toHaveLength(400);
    expect(toFilterTree(not(many[0]), resolver)).toEqual({ not: cmp('title', 'pr') });
  });
});
