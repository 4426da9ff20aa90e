import { FilterSyntaxError } from './ast.js';
import type { CompareOp, FilterLiteral, FilterNode, PatchPath } from './ast.js';
import { tokenize } from './lexer.js';
import type { Token } from './lexer.js';
import { UnreachableCaseError } from './unreachable.js';

/** Longest filter or PATCH path accepted, in characters: bounds parse time for untrusted input. */
export const MAX_FILTER_LENGTH = 4096;

/** Deepest nesting of `(`, `not (` and `[` accepted: keeps every tree visitor's recursion shallow. */
export const MAX_FILTER_DEPTH = 50;

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2) into a tree; `not` binds tighter than `and`, which binds
 * tighter than `or`; both are left-associative. Throws FilterSyntaxError naming the position.
 */
export function parseFilter(input: string): FilterNode {
  const parser = new Parser(input, 'filter');
  const node = parser.parseOr(undefined);
  parser.expectEnd();
  return node;
}

/**
 * Parses a PATCH path (RFC 7644 §3.5.2): `attrPath / valuePath [subAttr]`, e.g. `members`,
 * `name.familyName`, `emails[type eq "work"].value`. Throws FilterSyntaxError naming the position.
 */
export function parsePatchPath(input: string): PatchPath {
  const parser = new Parser(input, 'path');
  const result = parser.parsePatchPath();
  parser.expectEnd();
  return result;
}

/** Inside `emails[...]`: the name of the multi-valued attribute, for the messages. */
interface ValueScope {
  parent: string;
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(
    input: string,
    private readonly what: 'filter' | 'path',
  ) {
    if (input.length > MAX_FILTER_LENGTH) {
      throw new FilterSyntaxError(`The ${what} is longer than ${MAX_FILTER_LENGTH} characters`, MAX_FILTER_LENGTH);
    }
    this.tokens = tokenize(input);
    if (this.peek().kind === 'eof') {
      throw new FilterSyntaxError(`The ${what} is empty`, 0);
    }
  }

  /** PATH = attrPath / valuePath [subAttr] (RFC 7644 §3.5.2). */
  parsePatchPath(): PatchPath {
    const token = this.next();
    if (token.kind !== 'word') throw this.unexpected(token, 'an attribute path');
    if (this.peek().kind !== '[') return { path: token.path };
    const filter = this.parseValueFilter(token, undefined);
    const after = this.peek();
    if (after.kind !== 'subAttr') return { path: token.path, filter };
    this.next();
    return { path: token.path, filter, subAfterFilter: after.name };
  }

  /** FILTER joined by "or", the loosest operator. */
  parseOr(scope: ValueScope | undefined): FilterNode {
    let left = this.parseAnd(scope);
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd(scope) };
    }
    return left;
  }

  /** The input must be used up; a stray token after a complete filter is an error. */
  expectEnd(): void {
    const token = this.peek();
    if (token.kind === 'eof') return;
    if (token.kind === ')' || token.kind === ']') {
      throw new FilterSyntaxError(`Unbalanced '${token.kind}' at position ${token.pos}`, token.pos);
    }
    if (token.kind === 'subAttr' && this.what === 'filter') {
      throw new FilterSyntaxError(`Unexpected '${token.text}' at position ${token.pos}: a sub-attribute after ']' is only allowed in PATCH paths`, token.pos);
    }
    throw this.unexpected(token, this.what === 'filter' ? "'and', 'or' or end of filter" : 'end of path');
  }

  /** "and" binds tighter than "or" (RFC 7644 §3.4.2.2, Table 3: precedence and > or). */
  private parseAnd(scope: ValueScope | undefined): FilterNode {
    let left = this.parseUnary(scope);
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary(scope) };
    }
    return left;
  }

  /** `not (FILTER)`, `(FILTER)`, `attrExp` or `valuePath`. */
  private parseUnary(scope: ValueScope | undefined): FilterNode {
    const token = this.peek();
    if (token.kind === '(') {
      return this.parseGroup(scope);
    }
    if (token.kind === 'word' && token.keyword === 'not') {
      this.next();
      // The ABNF is `*1"not" "(" FILTER ")"`: "not" only ever negates a parenthesised filter.
      if (this.peek().kind !== '(') {
        throw new FilterSyntaxError(`'not' at position ${token.pos} must be followed by '(' (RFC 7644 §3.4.2.2), got ${this.describe(this.peek())}`, token.pos);
      }
      return { kind: 'not', filter: this.parseGroup(scope) };
    }
    if (token.kind === 'word' && token.keyword !== 'and' && token.keyword !== 'or') {
      this.next();
      return this.parseAttrExp(token, scope);
    }
    throw this.unexpected(token, "an attribute name, '(' or 'not'");
  }

  private parseGroup(scope: ValueScope | undefined): FilterNode {
    const open = this.next();
    this.enter(open);
    const inner = this.parseOr(scope);
    this.close(')', open);
    return inner;
  }

  /** attrPath SP "pr" / attrPath SP compareOp SP compValue / attrPath "[" valFilter "]". */
  private parseAttrExp(word: Extract<Token, { kind: 'word' }>, scope: ValueScope | undefined): FilterNode {
    if (scope && (word.path.urn !== undefined || word.path.sub !== undefined)) {
      throw new FilterSyntaxError(`Inside '${scope.parent}[...]' attribute paths are sub-attribute names; got '${word.text}' at position ${word.pos}`, word.pos);
    }
    const op = this.peek();
    if (op.kind === '[') {
      return { kind: 'valuePath', path: word.path, filter: this.parseValueFilter(word, scope) };
    }
    if (op.kind === 'eof') {
      throw new FilterSyntaxError(`Expected an operator after '${word.text}' at position ${op.pos}, got end of ${this.what}`, op.pos);
    }
    if (op.kind === 'word' && op.keyword === 'pr') {
      this.next();
      return { kind: 'present', path: word.path };
    }
    if (op.kind === 'word' && op.keyword !== undefined && COMPARE_OPS.has(op.keyword)) {
      this.next();
      return { kind: 'compare', path: word.path, op: op.keyword as CompareOp, value: this.parseValue(op) };
    }
    throw new FilterSyntaxError(`Unknown operator ${this.describe(op)} at position ${op.pos}; expected eq, ne, co, sw, ew, gt, ge, lt, le or pr`, op.pos);
  }

  /** `attr[valFilter]`: RFC 7644 §3.4.2.2 forbids a valuePath inside a valFilter. */
  private parseValueFilter(word: Extract<Token, { kind: 'word' }>, scope: ValueScope | undefined): FilterNode {
    const open = this.next();
    if (scope) {
      throw new FilterSyntaxError(`Nested value filter '${word.text}[' at position ${open.pos} inside '${scope.parent}[...]'`, open.pos);
    }
    if (word.path.sub !== undefined) {
      // Only a multi-valued attribute has elements to filter, and sub-attributes are never complex.
      throw new FilterSyntaxError(`A value filter cannot follow the sub-attribute path '${word.text}' at position ${open.pos}`, open.pos);
    }
    this.enter(open);
    if (this.peek().kind === ']') {
      throw new FilterSyntaxError(`Empty value filter '${word.text}[]' at position ${open.pos}`, open.pos);
    }
    const filter = this.parseOr({ parent: word.text });
    this.close(']', open);
    return filter;
  }

  /** compValue = false / null / true / number / string (RFC 7644 §3.4.2.2). */
  private parseValue(op: Token): FilterLiteral {
    const token = this.next();
    switch (token.kind) {
      case 'string':
      case 'number':
        return token.value;
      case 'word':
        if (token.keyword === 'true') return true;
        if (token.keyword === 'false') return false;
        if (token.keyword === 'null') return null;
        break;
      case 'eof':
        throw new FilterSyntaxError(`Missing value after '${op.text}' at position ${token.pos}`, token.pos);
      case 'subAttr':
      case '(':
      case ')':
      case '[':
      case ']':
        break;
      default:
        throw new UnreachableCaseError(token);
    }
    throw this.unexpected(token, 'a value (a quoted string, a number, true, false or null)');
  }

  private enter(open: Token): void {
    this.depth++;
    if (this.depth > MAX_FILTER_DEPTH) {
      throw new FilterSyntaxError(`The ${this.what} nests deeper than ${MAX_FILTER_DEPTH} levels at position ${open.pos}`, open.pos);
    }
  }

  private close(kind: ')' | ']', open: Token): void {
    const token = this.peek();
    if (token.kind === kind) {
      this.next();
      this.depth--;
      return;
    }
    if (token.kind === 'eof') {
      throw new FilterSyntaxError(`Missing '${kind}' for the '${open.text}' at position ${open.pos}`, open.pos);
    }
    throw this.unexpected(token, `'and', 'or' or '${kind}'`);
  }

  private unexpected(token: Token, expected: string): FilterSyntaxError {
    return new FilterSyntaxError(`Expected ${expected} at position ${token.pos}, got ${this.describe(token)}`, token.pos);
  }

  private describe(token: Token): string {
    return token.kind === 'eof' ? `end of ${this.what}` : `'${token.text}'`;
  }

  private isKeyword(token: Token, keyword: 'and' | 'or'): boolean {
    return token.kind === 'word' && token.keyword === keyword;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'eof') this.index++;
    return token;
  }
}
