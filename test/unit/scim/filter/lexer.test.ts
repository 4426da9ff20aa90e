import { FilterSyntaxError } from '../../../../src/scim/filter/ast.js';
import { parseAttrPath, tokenize } from '../../../../src/scim/filter/lexer.js';
import type { Token } from '../../../../src/scim/filter/lexer.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** The kinds and texts of the tokens, without eof. */
function shape(input: string): string[] {
  return tokenize(input)
    .filter((t) => t.kind !== 'eof')
    .map((t) => `${t.kind}:${t.text}`);
}

function first(input: string): Token {
  return tokenize(input)[0];
}

describe('tokenize', () => {
  it.each<[string, string[]]>([
    ['userName eq "john"', ['word:userName', 'word:eq', 'string:"john"']],
    ['title pr', ['word:title', 'word:pr']],
    ['(a pr)', ['(:(', 'word:a', 'word:pr', '):)']],
    ['emails[type eq "work"].value', ['word:emails', '[:[', 'word:type', 'word:eq', 'string:"work"', ']:]', 'subAttr:.value']],
    ['members.$ref pr', ['word:members.$ref', 'word:pr']],
    ['a\teq\n1', ['word:a', 'word:eq', 'number:1']],
    ['a eq"x"', ['word:a', 'word:eq', 'string:"x"']],
  ])('%s', (input, expected) => {
    expect(shape(input)).toEqual(expected);
  });

  it('ends with eof at the input length', () => {
    expect(tokenize('  a pr  ').at(-1)).toEqual({ kind: 'eof', pos: 8, text: '' });
    expect(tokenize('')).toEqual([{ kind: 'eof', pos: 0, text: '' }]);
  });

  it('tracks positions', () => {
    expect(tokenize('a  eq "x"').map((t) => t.pos)).toEqual([0, 3, 6, 9]);
  });

  it.each(['eq', 'EQ', 'Eq', 'and', 'AND', 'Or', 'NOT', 'pr', 'PR', 'True', 'FALSE', 'null', 'ge', 'LE'])('recognises the keyword %s case-insensitively', (word) => {
    expect(first(word)).toMatchObject({ kind: 'word', keyword: word.toLowerCase() });
  });

  it('does not take a dotted or prefixed word for a keyword', () => {
    expect(first('eq.x')).not.toHaveProperty('keyword');
    expect(first('userName')).not.toHaveProperty('keyword');
  });

  describe('attribute paths', () => {
    it.each<[string, object]>([
      ['userName', { attr: 'userName' }],
      ['name.familyName', { attr: 'name', sub: 'familyName' }],
      [`${CORE_USER}:userName`, { urn: CORE_USER, attr: 'userName' }],
      [`${CORE_USER}:name.familyName`, { urn: CORE_USER, attr: 'name', sub: 'familyName' }],
      [`${ENTERPRISE}:employeeNumber`, { urn: ENTERPRISE, attr: 'employeeNumber' }],
      [`${ENTERPRISE}:manager.value`, { urn: ENTERPRISE, attr: 'manager', sub: 'value' }],
      ['x-custom_attr2', { attr: 'x-custom_attr2' }],
    ])('%s', (text, expected) => {
      expect(first(text)).toMatchObject({ kind: 'word', path: expected });
      expect(parseAttrPath(text)).toEqual(expected);
    });

    it.each(['a.b.c', 'a..b', 'name.', `${CORE_USER}:`, 'foo:bar', 'a.1b', '$'])('rejects %s', (text) => {
      expect(() => tokenize(text)).toThrow(FilterSyntaxError);
    });
  });

  describe('strings', () => {
    it.each<[string, string]>([
      ['"john"', 'john'],
      ['""', ''],
      ['"O\'Malley"', "O'Malley"],
      ['"say \\"hi\\""', 'say "hi"'],
      ['"back\\\\slash"', 'back\\slash'],
      ['"\\u00e9t\\u00C9"', 'étÉ'],
      ['"a\\/b\\n\\t\\r\\b\\f"', 'a/b\n\t\r\b\f'],
      ['"with ] and ) and eq inside"', 'with ] and ) and eq inside'],
      ['"\\ud83d\\ude80 paired surrogates"', '🚀 paired surrogates'],
    ])('%s', (text, value) => {
      expect(first(text)).toEqual({ kind: 'string', pos: 0, text, value });
    });

    it.each<[string, RegExp]>([
      ['"open', /Unterminated string starting at position 0/],
      ['a eq "ends with backslash\\"', /Unterminated string starting at position 5/],
      ['"bad \\x escape"', /Invalid escape/],
      ['"bad \\u12G4"', /Invalid \\u escape/],
      ['"raw\nnewline"', /Control character/],
      ['"escaped \\u0000 NUL"', /contains U\+0000/],
      ['"lone \\ud800 surrogate"', /unpaired surrogate/],
      ['"lone \\udc00"', /unpaired surrogate/],
    ])('rejects %j', (text, message) => {
      expect(() => tokenize(text)).toThrow(message);
    });
  });

  describe('numbers', () => {
    it.each<[string, number]>([
      ['0', 0],
      ['42', 42],
      ['-7', -7],
      ['3.25', 3.25],
      ['1e3', 1000],
      ['-2.5E-2', -0.025],
    ])('%s', (text, value) => {
      expect(first(text)).toEqual({ kind: 'number', pos: 0, text, value });
    });

    it.each(['01', '1.', '-', '-x', '12abc', '1e', '.5', '1e999'])('rejects %s', (text) => {
      expect(() => tokenize(text)).toThrow(FilterSyntaxError);
    });
  });

  it.each<[string, number]>([
    ['a eq #', 5],
    ["a eq 'x'", 5],
    ['a.b eq .c', 7],
    ['a {', 2],
  ])('rejects an unexpected character in %j at its position', (input, position) => {
    expect(() => tokenize(input)).toThrow(expect.objectContaining({ name: 'FilterSyntaxError', position }));
  });

  it('only reads a sub-attribute directly after "]"', () => {
    expect(() => tokenize('emails[type pr] .value')).toThrow(/Unexpected character '\.' at position 16/);
    expect(() => tokenize('emails[type pr].')).toThrow(/Expected a sub-attribute name/);
  });
});
