import type { Command } from './command.js';
import { createApiKey, listCredentials, revoke } from './credential-commands.js';
import { emitSchema, makeMigrationCommand, migrate, recount } from './maintenance-commands.js';
import { samlConfigure, samlList, samlRemove, samlRoles } from './saml-commands.js';
import { activateProvisioning, deactivateProvisioning, rotateScimToken, setProvisioningAdoption } from './provisioning-commands.js';

/** Every command, in the order `help` lists them. */
export const COMMANDS: readonly Command[] = [
  migrate,
  createApiKey,
  activateProvisioning,
  rotateScimToken,
  deactivateProvisioning,
  setProvisioningAdoption,
  samlConfigure,
  samlRoles,
  samlList,
  samlRemove,
  listCredentials,
  revoke,
  recount,
  emitSchema,
  makeMigrationCommand,
];

/** The text of `help` (and of a usage error). */
export function usage(): string[] {
  const left = (c: Pick<Command, 'name' | 'synopsis'>) => `${c.name} ${c.synopsis}`.trim();
  const all = [...COMMANDS, { name: 'help', synopsis: '', summary: 'Show this help.' }];
  const width = Math.max(...all.map((c) => left(c).length));
  return [
    'Usage: npm run roster -- <command> [arguments]',
    '',
    'Commands:',
    ...all.map((c) => `  ${left(c).padEnd(width)}  ${c.summary}`),
    '',
    'They work on the database the server uses: Postgres when DATABASE_URL is set, else the embedded',
    'one in DATA_DIR (default ./data). The embedded database serves one process at a time: stop the',
    'server first, or do the same through GraphQL (GraphiQL at PUBLIC_URL/graphql).',
  ];
}
