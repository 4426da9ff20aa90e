// `npm test`: the console's Vitest suite, then jest (unit, integration, protocol). With arguments
// (`npm test -- test/protocol/x`, `npm test -- --selectProjects unit`) only jest runs, with them.
import { spawnSync } from 'node:child_process';
import process from 'node:process';

const args = process.argv.slice(2);
const run = (cmd, argv) => spawnSync(cmd, argv, { stdio: 'inherit' }).status ?? 1;

if (args.length === 0) {
  const status = run('npm', ['test', '--workspace', 'console']);
  if (status !== 0) process.exit(status);
}
process.exit(run(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', ...args]));
