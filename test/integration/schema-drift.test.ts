import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printRosterSchema } from '../../src/graphql/schema.js';

/** schema/schema.graphql is what clients code against: it must be what the server really serves. */
test('schema/schema.graphql matches the schema the server builds', () => {
  const committed = readFileSync(path.join(import.meta.dirname, '../../schema/schema.graphql'), 'utf8');
  const built = printRosterSchema();
  if (committed !== built) {
    throw new Error('schema/schema.graphql is out of date with src/graphql: run `npm run schema:emit` and commit the result.');
  }
});
