import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project folder (the one with package.json): the CLI runs from dist/src/cli when built and
 * from src/cli under jest, so a fixed number of `..` would be wrong in one of them.
 */
export function findRepoRoot(from: string = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${from}.`);
    dir = up;
  }
  return dir;
}
