import { SYSTEM } from '../auth/principal.js';
import type { Config } from '../config/config.js';
import { CliError, EXIT, type Command, type CommandContext } from './command.js';
import { credentials } from './credential-commands.js';
import { shortDate } from './format.js';

const DEFAULT_IDP = 'okta';

/** Two lines telling an admin where the URL and token go in their IdP's console. */
function pasteHint(idp: string): [string, string] {
  switch (idp.toLowerCase()) {
    case 'okta':
      return [
        'In Okta: Applications → your app → Provisioning → Integration → Edit: paste the URL into "SCIM connector base URL",',
        'choose "HTTP Header" as authentication mode, paste the token as the Bearer token, then "Test Connector Configuration".',
      ];
    case 'entra':
    case 'azure':
    case 'azuread':
      return [
        'In Microsoft Entra ID: Enterprise applications → your app → Provisioning → Admin Credentials:',
        'paste the URL into "Tenant URL" and the token into "Secret Token", then "Test Connection".',
      ];
    default:
      return [`In ${idp}'s SCIM provisioning settings: paste the URL as the SCIM base URL`, 'and the token as the HTTP Bearer token ("Authorization: Bearer <token>").'];
  }
}

/** A cloud IdP cannot reach localhost: say so when PUBLIC_URL was left at its default. */
export function reachabilityNote(config: Config): string | undefined {
  const host = new URL(config.publicUrl).hostname;
  if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]') {
    return `Note: the URL is built from PUBLIC_URL (now ${config.publicUrl}); set PUBLIC_URL to the address your IdP can reach.`;
  }
  return undefined;
}

function printToken(ctx: CommandContext, idp: string, token: string): void {
  const config = ctx.config();
  ctx.out();
  ctx.out(`  SCIM base URL:  ${config.publicUrl}/scim/v2`);
  ctx.out(`  SCIM token:     ${token}`);
  ctx.out();
  for (const line of pasteHint(idp)) ctx.out(line);
  const note = reachabilityNote(config);
  if (note) ctx.out(note);
  ctx.out('Store the token now: Roster keeps only a hash and cannot show it again.');
}

const idpOf = (ctx: CommandContext): string => ctx.positionals[0] ?? DEFAULT_IDP;

/** `activate-provisioning [idp]`: turns provisioning on and issues a token (shown once). */
export const activateProvisioning: Command = {
  name: 'activate-provisioning',
  synopsis: '[idp]',
  summary: `Turn on SCIM provisioning for an IdP (default ${DEFAULT_IDP}); print the SCIM base URL and a new token.`,
  positionals: { min: 0, max: 1 },
  graphql: 'mutation { activateProvisioning(idp: "okta") { scimBaseUrl token } }',
  async run(ctx) {
    const idp = idpOf(ctx);
    const issued = await ctx.withDatabase((db) => credentials(db).activateProvisioning(SYSTEM, idp));
    ctx.out(`Provisioning from ${idp} is active.`);
    printToken(ctx, idp, issued.secret);
  },
};

/** `rotate-scim-token [idp]`: a new token; the old ones stop working at once. */
export const rotateScimToken: Command = {
  name: 'rotate-scim-token',
  synopsis: '[idp]',
  summary: 'Issue a new SCIM token for an IdP and revoke its old ones.',
  positionals: { min: 0, max: 1 },
  graphql: 'mutation { rotateScimToken(idp: "okta") { secret } }',
  async run(ctx) {
    const idp = idpOf(ctx);
    const issued = await ctx.withDatabase((db) => credentials(db).rotateScimToken(SYSTEM, idp));
    ctx.out(`New SCIM token for ${idp}; its previous tokens are revoked.`);
    printToken(ctx, idp, issued.secret);
  },
};

/** `deactivate-provisioning [idp]`: every SCIM call of that IdP is refused until activated again. */
export const deactivateProvisioning: Command = {
  name: 'deactivate-provisioning',
  synopsis: '[idp]',
  summary: 'Suspend SCIM provisioning for an IdP; its calls are refused until it is activated again.',
  positionals: { min: 0, max: 1 },
  graphql: 'mutation { deactivateProvisioning(idp: "okta") { active } }',
  async run(ctx) {
    const idp = idpOf(ctx);
    const p = await ctx.withDatabase((db) => credentials(db).deactivateProvisioning(SYSTEM, idp));
    ctx.out(`Provisioning from ${p.idp} is deactivated (since ${shortDate(p.deactivatedAt)}). Turn it on again with activate-provisioning ${p.idp}.`);
  },
};

/** `set-provisioning-adoption <idp> on|off`: whether the IdP may adopt local users and groups (DESIGN §5). */
export const setProvisioningAdoption: Command = {
  name: 'set-provisioning-adoption',
  synopsis: '<idp> on|off',
  summary: 'Let an IdP adopt locally created users and groups on its next update of them (on), or not (off, the default).',
  positionals: { min: 2, max: 2 },
  graphql: 'mutation { setProvisioningAdoption(idp: "okta", adoptLocal: true) { idp adoptLocal } }',
  async run(ctx) {
    const [idp, value] = ctx.positionals;
    const v = value.toLowerCase();
    if (v !== 'on' && v !== 'off') throw new CliError(EXIT.USAGE, `set-provisioning-adoption takes on or off, not ${JSON.stringify(value)}.`);
    const p = await ctx.withDatabase((db) => credentials(db).setProvisioningAdoption(SYSTEM, idp, v === 'on'));
    ctx.out(
      p.adoptLocal
        ? `${p.idp} may now adopt local users and groups: its next update of one makes it managed by ${p.idp} (each adoption is audited).`
        : `${p.idp} may not adopt local users and groups: its writes to them are refused (403).`,
    );
  },
};
