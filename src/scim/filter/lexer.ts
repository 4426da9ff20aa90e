import { FilterSyntaxError } from './ast.js';
import type { AttrPath, CompareOp } from './ast.js';

/** Words with a meaning in the grammar; matched case-insensitively (RFC 7644 §3.4.2.2). */
export type Keyword = CompareOp | 'pr' | 'and' | 'or' | 'not' | 'true' | 'false' | 'null';

/**
 * One token; `pos` is the 0-based offset of its first character in the input. A `word` carries
 * both readings, the attribute path and (when it is one) the keyword, so the parser can decide
 * from context: `title pr` uses the path of `title` and the keyword of `pr`.
 */
export type Token =
  | { kind: 'word'; pos: number; text: string; path: AttrPath; keyword?: Keyword }
  | { kind: 'string'; pos: number; text: string; value: string }
  | { kind: 'number'; pos: number; text: string; value: number }
  /** `.value` right after `]`: only meaningful in PATCH paths (RFC 7644 §3.5.2). */
  | { kind: 'subAttr'; pos: number; text: string; name: string }
  | { kind: '(' | ')' | '[' | ']'; pos: number; text: string }
  | { kind: 'eof'; pos: number; text: '' };

const KEYWORDS: ReadonlySet<string> = new Set<Keyword>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'and', 'or', 'not', 'true', 'false', 'null']);

// RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA. The leading
// "$" admits "$ref" (RFC 7643 §2.4), the one reserved sub-attribute name outside that grammar.
const ATTRNAME = /^\$?[A-Za-z][A-Za-z0-9_-]*$/;
// Schema URIs in SCIM are URNs; their segments may hold dots and digits ("2.0").
const URN = /^urn(?::[A-Za-z0-9._-]+)+$/i;
const WORD_CHAR = /[A-Za-z0-9_$:.-]/;
const NAME_CHAR = /[A-Za-z0-9_$-]/;
// JSON number syntax (RFC 8259 §6), which RFC 7644 §3.4.2.2 borrows for compValue.
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WHITESPACE = /[ \t\r\n]/;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Splits a filter or PATCH path into tokens, ending with one `eof`; throws FilterSyntaxError. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < input.length) {
    const ch = input[pos];
    if (WHITESPACE.test(ch)) {
      pos++;
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      tokens.push({ kind: ch, pos, text: ch });
      pos++;
    } else if (ch === '.' && tokens.at(-1)?.kind === ']' && tokens.at(-1)?.pos === pos - 1) {
      const token = readSubAttr(input, pos);
      tokens.push(token);
      pos += token.text.length;
    } else if (ch === '"') {
      const token = readString(input, pos);
      tokens.push(token);
      pos += token.text.length;
    } else if (ch === '-' || isDigit(ch)) {
      const token = readNumber(input, pos);
      tokens.push(token);
      pos += token.text.length;
    } else if (ch === '$' || isAlpha(ch)) {
      const token = readWord(input, pos);
      tokens.push(token);
      pos += token.text.length;
    } else {
      throw new FilterSyntaxError(`Unexpected character '${ch}' at position ${pos}`, pos);
    }
  }
  tokens.push({ kind: 'eof', pos: input.length, text: '' });
  return tokens;
}

/** Parses `[urn ":"] ATTRNAME ["." ATTRNAME]` (RFC 7644 §3.4.2.2 attrPath); throws when invalid. */
export function parseAttrPath(text: string, pos = 0): AttrPath {
  // The URN prefix runs to the last ':' because the URN itself holds dots ("...:2.0:User:name").
  const colon = text.lastIndexOf(':');
  const urn = colon >= 0 ? text.slice(0, colon) : undefined;
  const rest = text.slice(colon + 1);
  if (urn !== undefined && !URN.test(urn)) {
    throw new FilterSyntaxError(`Invalid schema URN '${urn}' in attribute path at position ${pos}`, pos);
  }
  if (rest === '') {
    throw new FilterSyntaxError(`Missing attribute name after '${text}' at position ${pos}`, pos);
  }
  const parts = rest.split('.');
  for (const part of parts) {
    if (!ATTRNAME.test(part)) {
      throw new FilterSyntaxError(`Invalid attribute name '${part}' in '${text}' at position ${pos}`, pos);
    }
  }
  if (parts.length > 2) {
    // Complex attributes nest one level only (RFC 7643 §2.3.8): `a.b.c` names nothing.
    throw new FilterSyntaxError(`Attribute path '${text}' at position ${pos} has more than one sub-attribute`, pos);
  }
  const path: AttrPath = { attr: parts[0] };
  if (urn !== undefined) path.urn = urn;
  if (parts.length === 2) path.sub = parts[1];
  return path;
}

function readWord(input: string, start: number): Token {
  let end = start;
  while (end < input.length && WORD_CHAR.test(input[end])) end++;
  const text = input.slice(start, end);
  const path = parseAttrPath(text, start);
  const lower = text.toLowerCase();
  return KEYWORDS.has(lower) ? { kind: 'word', pos: start, text, path, keyword: lower as Keyword } : { kind: 'word', pos: start, text, path };
}

function readSubAttr(input: string, start: number): Token {
  let end = start + 1;
  while (end < input.length && NAME_CHAR.test(input[end])) end++;
  const name = input.slice(start + 1, end);
  if (!ATTRNAME.test(name)) {
    const shown = name === '' ? (input[end] ?? 'end of input') : name;
    throw new FilterSyntaxError(`Expected a sub-attribute name after '.' at position ${start}, got '${shown}'`, start);
  }
  return { kind: 'subAttr', pos: start, text: input.slice(start, end), name };
}

function readNumber(input: string, start: number): Token {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(input);
  const text = match?.[0] ?? '';
  const after = input[start + text.length];
  if (text === '' || text === '-' || (after !== undefined && (WORD_CHAR.test(after) || after === '"'))) {
    throw new FilterSyntaxError(`Invalid number at position ${start}`, start);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new FilterSyntaxError(`Number out of range at position ${start}`, start);
  }
  return { kind: 'number', pos: start, text, value };
}

function readString(input: string, start: number): Token {
  let value = '';
  let pos = start + 1;
  while (pos < input.length) {
    const ch = input[pos];
    if (ch === '"') {
      // Text that no attribute can hold: U+0000 (PostgreSQL text refuses it) and lone surrogates
      // (not Unicode scalar values; they could only be stored as U+FFFD).
      if (value.includes('\u0000')) throw new FilterSyntaxError(`The string at position ${start} contains U+0000`, start);
      if (!value.isWellFormed()) throw new FilterSyntaxError(`The string at position ${start} contains an unpaired surrogate`, start);
      return { kind: 'string', pos: start, text: input.slice(start, pos + 1), value };
    }
    if (ch < ' ') {
      // JSON strings (RFC 8259 §7) cannot hold raw control characters.
      throw new FilterSyntaxError(`Control character in string at position ${pos}`, pos);
    }
    if (ch !== '\\') {
      value += ch;
      pos++;
      continue;
    }
    const esc = input[pos + 1];
    if (esc === 'u') {
      const hex = input.slice(pos + 2, pos + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
        throw new FilterSyntaxError(`Invalid \\u escape in string at position ${pos}`, pos);
      }
      value += String.fromCharCode(parseInt(hex, 16));
      pos += 6;
    } else if (esc !== undefined && Object.hasOwn(ESCAPES, esc)) {
      value += ESCAPES[esc];
      pos += 2;
    } else {
      throw new FilterSyntaxError(`Invalid escape '\\${esc ?? ''}' in string at position ${pos}`, pos);
    }
  }
  throw new FilterSyntaxError(`Unterminated string starting at position ${start}`, start);
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function isAlpha(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}
