import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const MIGRATION_FILE = /^(Migration\d{14}\w*)\.ts$/;

/**
 * Rewrites migrations/index.ts from the migration files in the folder. The list is explicit
 * (no folder scan at run time, STACK.md), so a new migration must be added to it; doing it here
 * means make-migration cannot forget.
 */
export async function writeMigrationIndex(dir: string): Promise<string[]> {
  const names = (await readdir(dir))
    .map((f) => MIGRATION_FILE.exec(f)?.[1])
    .filter((n): n is string => !!n)
    .sort();
  const text = [
    "import type { MigrationObject } from '@mikro-orm/core';",
    ...names.map((n) => `import { ${n} } from './${n}.js';`),
    '',
    '/** Every migration in order; listed explicitly so that the compiled tree needs no folder scan. */',
    'export const migrationsList: MigrationObject[] = [',
    ...names.map((n) => `  { name: '${n}', class: ${n} },`),
    '];',
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'index.ts'), text);
  return names;
}
