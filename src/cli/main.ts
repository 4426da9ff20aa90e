import 'reflect-metadata';
import { runCli } from './run.js';

/** `npm run roster -- <command>`: see `help`, and src/cli/commands.ts for the list. */
runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  // exitCode rather than exit(): pending stdout writes to a pipe still get flushed.
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`roster: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
