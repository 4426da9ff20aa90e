import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { DomainError } from '../domain/errors/domain-errors.js';
import type { Database } from '../persistence/database.js';
import { CliError, EXIT, type Command, type CommandContext, type OpenMode } from './command.js';
import { COMMANDS, usage } from './commands.js';
import { openCliDatabase } from './database.js';
import { findRepoRoot } from './repo-root.js';

/** What the CLI touches outside itself; tests pass their own. */
export interface CliIo {
  /** the environment to configure from; src/config reads process.env when it is not given */
  env?: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** opens the configured database; defaults to what the server would open */
  openDatabase?: (config: Config, mode: OpenMode, graphql?: string, say?: (line: string) => void) => Promise<Database>;
  repoRoot?: string;
}

/** Runs one command line and returns the exit code; never calls process.exit. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) return fail(io, EXIT.USAGE, `which command?\n\n${usage().join('\n')}`);
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(`${usage().join('\n')}\n`);
    return EXIT.OK;
  }
  const found = findCommand(name, rest);
  if ('help' in found) {
    io.stdout(`${found.help}\n`);
    return EXIT.OK;
  }
  if ('error' in found) return fail(io, EXIT.USAGE, found.error);
  const { command, args } = found;
  try {
    const ctx = context(command, args, io);
    if (ctx === 'help') {
      io.stdout(`Usage: npm run roster -- ${command.name} ${command.synopsis}\n\n${command.summary}\n`);
      return EXIT.OK;
    }
    await command.run(ctx);
    return EXIT.OK;
  } catch (err) {
    if (err instanceof CliError) return fail(io, err.exitCode, err.message);
    if (err instanceof ConfigError) return fail(io, EXIT.USAGE, err.message);
    if (err instanceof DomainError) return fail(io, EXIT.FAILED, err.message);
    return fail(io, EXIT.FAILED, `unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

/**
 * The command a command line names, one word or two (`saml configure`), with its own arguments;
 * for a family named alone (`saml`, `saml --help`), the list of its commands.
 */
function findCommand(name: string, rest: string[]): { command: Command; args: string[] } | { help: string } | { error: string } {
  const family = COMMANDS.filter((c) => c.name.startsWith(`${name} `));
  if (family.length === 0) {
    const command = COMMANDS.find((c) => c.name === name);
    return command ? { command, args: rest } : { error: `Unknown command ${JSON.stringify(name)}.\n\n${usage().join('\n')}` };
  }
  const [sub, ...args] = rest;
  const command = family.find((c) => c.name === `${name} ${sub}`);
  if (command) return { command, args };
  const left = (c: Command) => `${c.name} ${c.synopsis}`.trim();
  const width = Math.max(...family.map((c) => left(c).length));
  const list = family.map((c) => `  ${left(c).padEnd(width)}  ${c.summary}`).join('\n');
  if (sub === 'help' || sub === '--help' || sub === '-h') return { help: `Usage: npm run roster -- ${name} <command> [arguments]\n\n${list}` };
  return { error: `${sub === undefined || sub.startsWith('-') ? `${name} needs a command` : `Unknown command ${JSON.stringify(`${name} ${sub}`)}`}:\n\n${list}` };
}

function fail(io: CliIo, code: number, message: string): number {
  io.stderr(`roster: ${message}\n`);
  return code;
}

/** Parses the command's own arguments (node:util parseArgs) and builds its context. */
function context(command: Command, args: string[], io: CliIo): CommandContext | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(EXIT.USAGE, `${(err as Error).message}\nUsage: npm run roster -- ${command.name} ${command.synopsis}`);
  }
  if (parsed.values.help) return 'help';
  const { min, max } = command.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw new CliError(EXIT.USAGE, `Usage: npm run roster -- ${command.name} ${command.synopsis}`.trim());
  }
  let config: Config | undefined;
  const getConfig = () => (config ??= loadConfig(io.env));
  const open = io.openDatabase ?? openCliDatabase;
  return {
    positionals: parsed.positionals,
    options: parsed.values,
    out: (line = '') => io.stdout(`${line}\n`),
    config: getConfig,
    repoRoot: io.repoRoot ?? findRepoRoot(),
    withDatabase: async (fn, mode = 'use') => {
      const db = await open(getConfig(), mode, command.graphql, (line) => io.stdout(`${line}\n`));
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
  };
}
