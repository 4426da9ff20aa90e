import { GraphQLScalarType, Kind, ValueNode } from 'graphql';

/** A filter literal: string, number, boolean or null (SCIM filter values are of these kinds). */
export const FilterValueScalar = new GraphQLScalarType({
  name: 'FilterValue',
  description: 'A filter comparison value: a string (dateTimes as ISO 8601 strings), a number, a boolean or null.',
  serialize: (v) => v,
  parseValue: (v) => {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return v;
    throw new TypeError('FilterValue must be a string, number, boolean or null.');
  },
  parseLiteral: (ast: ValueNode) => {
    switch (ast.kind) {
      case Kind.STRING:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.NULL:
        return null;
      default:
        throw new TypeError('FilterValue must be a string, number, boolean or null.');
    }
  },
});
