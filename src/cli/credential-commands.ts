import { SYSTEM } from '../auth/principal.js';
import { CredentialService } from '../domain/credentials/credential-service.js';
import type { Database } from '../persistence/database.js';
import { CliError, EXIT, type Command, type CommandContext } from './command.js';
import { shortDate, table } from './format.js';

const ROLES = ['OWNER', 'ADMIN', 'READER'] as const;
type ApiKeyRole = (typeof ROLES)[number];

/** A credential service on a fresh store; the CLI acts as the SYSTEM principal. */
export const credentials = (db: Database): CredentialService => new CredentialService(db.store());

function roleOption(value: CommandContext['options'][string]): ApiKeyRole {
  if (typeof value !== 'string') throw new CliError(EXIT.USAGE, 'create-api-key needs --role OWNER, ADMIN or READER.');
  const role = value.toUpperCase();
  if (!(ROLES as readonly string[]).includes(role)) throw new CliError(EXIT.USAGE, `--role must be OWNER, ADMIN or READER, not ${JSON.stringify(value)}.`);
  return role as ApiKeyRole;
}

/** `create-api-key <name> --role R`: the secret is printed here, once, and stored only as a hash. */
export const createApiKey: Command = {
  name: 'create-api-key',
  synopsis: '<name> --role OWNER|ADMIN|READER',
  summary: 'Create a GraphQL API key and print its secret (shown only once).',
  options: { role: { type: 'string', short: 'r' } },
  positionals: { min: 1, max: 1 },
  graphql: 'mutation { createApiKey(name: "<name>", role: "ADMIN") { secret credential { id } } }',
  async run(ctx) {
    const role = roleOption(ctx.options.role);
    const issued = await ctx.withDatabase((db) => credentials(db).createApiKey(SYSTEM, ctx.positionals[0], role));
    ctx.out(`Created ${role} API key "${issued.credential.name}" (id ${issued.credential.id}).`);
    ctx.out();
    ctx.out(`  ${issued.secret}`);
    ctx.out();
    ctx.out('Store it now: Roster keeps only a hash and cannot show it again. Send it as "Authorization: Bearer <key>".');
  },
};

/** `list-credentials`: every API key and SCIM token, without secrets. */
export const listCredentials: Command = {
  name: 'list-credentials',
  synopsis: '',
  summary: 'List API keys and SCIM tokens (never their secrets).',
  positionals: { min: 0, max: 0 },
  graphql: '{ credentials { id kind role name idp prefix createdAt lastUsedAt revokedAt } }',
  async run(ctx) {
    const list = await ctx.withDatabase((db) => credentials(db).list());
    if (!list.length) {
      ctx.out('No credentials yet.');
      return;
    }
    const rows = list.map((c) => [c.id, c.kind, c.role, c.name, c.idp ?? '-', `${c.prefix}…`, shortDate(c.createdAt), shortDate(c.lastUsedAt), shortDate(c.revokedAt)]);
    for (const line of table(['ID', 'KIND', 'ROLE', 'NAME', 'IDP', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED'], rows)) ctx.out(line);
  },
};

/** `revoke <credentialId>`: takes effect on the next request that presents it. */
export const revoke: Command = {
  name: 'revoke',
  synopsis: '<credentialId>',
  summary: 'Revoke an API key or SCIM token at once (ids from list-credentials).',
  positionals: { min: 1, max: 1 },
  graphql: 'mutation { revokeCredential(id: "<credentialId>") { id revokedAt } }',
  async run(ctx) {
    const c = await ctx.withDatabase((db) => credentials(db).revoke(SYSTEM, ctx.positionals[0]));
    ctx.out(`Revoked ${c.kind === 'api_key' ? 'API key' : 'SCIM token'} "${c.name}" (id ${c.id}) at ${shortDate(c.revokedAt)}.`);
  },
};
