import type { Config } from '../config/config.js';
import type { Database } from '../persistence/database.js';

/** Exit codes, shared with the server's start (src/main.ts uses 2, 3 and 4 for the same reasons). */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, LOCKED: 3, NEEDS_MIGRATION: 4 } as const;

/** A failure the CLI explains in one message and ends with a chosen exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** How a command opens the database: `migrate` leaves pending migrations to the command itself. */
export type OpenMode = 'use' | 'migrate';

/** What a command gets to work with. */
export interface CommandContext {
  positionals: string[];
  /** option values; an option declared `multiple` gives every value it was given, in order */
  options: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** prints one line (or an empty one) on stdout */
  out(line?: string): void;
  /** the validated configuration; a bad value ends the command with exit code 2 */
  config(): Config;
  /** opens the database the server uses, runs `fn`, and closes it again whatever happens */
  withDatabase<T>(fn: (db: Database) => Promise<T>, mode?: OpenMode): Promise<T>;
  /** the folder holding package.json, schema/ and migrations/ */
  repoRoot: string;
}

/** One sub-command of `npm run roster -- <command>`. */
export interface Command {
  /** one word, or two for a family of commands (`saml configure`, `saml list`): `roster -- saml` then lists the family */
  name: string;
  /** the synopsis after the command name, e.g. `<name> --role OWNER|ADMIN|READER` */
  synopsis: string;
  summary: string;
  /** `multiple`: the option may be repeated (`--map a=B --map c=D`) */
  options?: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  /** how many positional arguments it takes */
  positionals: { min: number; max: number };
  /** the GraphQL to run instead while a server holds the embedded database */
  graphql?: string;
  run(ctx: CommandContext): Promise<void>;
}
