import { ScimValidationError } from '../../../../src/scim/schema/errors.js';
import type { AttributeDefinition, AttributeType } from '../../../../src/scim/schema/types.js';
import { coerceAttribute, coerceSimple, parseBoolean } from '../../../../src/scim/schema/values.js';

function def(type: AttributeType, extra: Partial<AttributeDefinition> = {}): AttributeDefinition {
  return {
    name: 'a',
    type,
    multiValued: false,
    description: '',
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...extra,
  };
}

describe('coerceSimple (RFC 7643 §2.3)', () => {
  type Row = [AttributeType, unknown, unknown];
  const ok: Row[] = [
    ['string', 'x', 'x'],
    ['string', '', ''],
    ['boolean', true, true],
    ['boolean', 'True', true],
    ['boolean', ' false ', false],
    ['integer', 42, 42],
    ['decimal', 1.5, 1.5],
    ['dateTime', '2015-09-10T12:00:00Z', '2015-09-10T12:00:00Z'],
    ['dateTime', '2015-09-10T12:00:00.123+02:00', '2015-09-10T12:00:00.123+02:00'],
    ['binary', 'TUlJRERDQ0E=', 'TUlJRERDQ0E='],
    ['reference', 'https://x', 'https://x'],
    ['string', null, undefined],
    ['integer', undefined, undefined],
  ];
  it.each(ok)('%s accepts %j', (type, input, output) => {
    expect(coerceSimple(def(type), input, 'a')).toEqual(output);
  });

  const bad: [AttributeType, unknown][] = [
    ['string', 1],
    ['boolean', 'yes'],
    ['boolean', 1],
    ['integer', 1.5],
    ['integer', '1'],
    ['decimal', 'x'],
    ['decimal', Infinity],
    ['dateTime', '10/09/2015'],
    ['dateTime', '2015-13-45T99:00:00Z'],
    ['binary', 'not base64!'],
    ['reference', {}],
  ];
  it.each(bad)('%s rejects %j with invalidValue', (type, input) => {
    expect(() => coerceSimple(def(type), input, 'a')).toThrow(ScimValidationError);
    try {
      coerceSimple(def(type), input, 'a');
    } catch (e) {
      expect(e).toMatchObject({ scimType: 'invalidValue' });
    }
  });

  it('parseBoolean', () => {
    expect([parseBoolean('TRUE'), parseBoolean('False'), parseBoolean('no'), parseBoolean(0)]).toEqual([true, false, undefined, undefined]);
  });

  it('multi-valued simple values: wrapped, nulls dropped, empty is absent', () => {
    const d = def('string', { multiValued: true });
    expect(coerceAttribute(d, 'x', 'a')).toEqual(['x']);
    expect(coerceAttribute(d, ['x', null, 'y'], 'a')).toEqual(['x', 'y']);
    expect(coerceAttribute(d, [null], 'a')).toBeUndefined();
  });
});
