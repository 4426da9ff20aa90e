import { raw } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { frag, toPositional } from '../../../src/persistence/sql/fragment.js';
import { parameterize } from '../../../src/persistence/sql/parameterized-drivers.js';

const platform = new PostgreSqlPlatform();

describe('parameterize: the ORM statements with values as parameters', () => {
  test('each value becomes the next $n; identifiers stay quoted text', () => {
    expect(parameterize(platform, 'update ?? set "a" = ?, "b" = ? where "id" = ?', ['users', "x'; drop", 3, true])).toEqual({
      text: 'update "users" set "a" = $1, "b" = $2 where "id" = $3',
      values: ["x'; drop", 3, true],
    });
  });

  test('an array expands to one placeholder per element, as `in (?)` needs', () => {
    expect(parameterize(platform, 'select 1 where "id" in (?) and "n" = ?', [['a;b', 'c'], 'd'])).toEqual({ text: 'select 1 where "id" in ($1, $2) and "n" = $3', values: ['a;b', 'c', 'd'] });
  });

  test('null is SQL null; JSON objects, dates and bigints are bound as text', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const sent = parameterize(platform, 'insert into "t" ("a", "b", "c", "d") values (?, ?, ?, ?)', [null, { k: "v'" }, at, 10n]);
    expect(sent).toEqual({ text: 'insert into "t" ("a", "b", "c", "d") values (null, $1, $2, $3)', values: [JSON.stringify({ k: "v'" }), platform.formatDate(at), '10'] });
  });

  test('raw fragments are spliced with their own values; an escaped \\? stays a question mark', () => {
    expect(parameterize(platform, 'select ? where "j" \\? ?', [raw('coalesce(?, ?)', ['a', 'b']), 'k'])).toEqual({ text: 'select coalesce($1, $2) where "j" ? $3', values: ['a', 'b', 'k'] });
  });

  test('a lone surrogate is refused: it could not be stored as sent', () => {
    expect(() => parameterize(platform, 'select ?', ['a\ud800'])).toThrow(/unpaired surrogate/);
  });

  test('a value with no parameter form is left to the ORM', () => {
    expect(parameterize(platform, 'select ?', [Symbol('x')])).toBeUndefined();
  });
});

describe('toPositional: values checked before they are sent', () => {
  const send = (v: unknown) => toPositional(frag('select ?', [v])).values[0];

  test('U+0000 and a lone surrogate are refused anywhere in an object or array, names included', () => {
    for (const v of ['a\u0000', { a: [{ b: 'x\u0000' }] }, { ['k\u0000']: 1 }]) expect(() => send(v)).toThrow(/U\+0000|NUL/i);
    for (const v of ['a\ud800', [{ v: 'x\udc00y' }], { ['\ud83d']: true }]) expect(() => send(v)).toThrow(/surrogate/);
  });

  test('text that only looks like those escapes, and well-formed pairs, pass, as JSON text', () => {
    const v = { a: 'a backslash then u0000: \\u0000', b: ['\\ud800 as text', '😀 a pair'], c: 'é' };
    expect(send(v)).toBe(JSON.stringify(v));
    expect(JSON.parse(send(v) as string)).toEqual(v);
  });
});
