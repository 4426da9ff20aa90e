import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SYSTEM } from '../auth/principal.js';
import { SamlConfigService, type SamlOptions } from '../domain/sso/saml-config-service.js';
import type { SamlConnectionRecord, SamlRoleMapping } from '../domain/sso/sso-records.js';
import { describeCertificate, loginUrl, spUrls } from '../graphql/sso-view.js';
import type { Database } from '../persistence/database.js';
import { CliError, EXIT, type Command, type CommandContext } from './command.js';
import { shortDate, table } from './format.js';
import { reachabilityNote } from './provisioning-commands.js';

/** The SAML service on a fresh store; the CLI acts as the SYSTEM principal. */
const saml = (db: Database): SamlConfigService => new SamlConfigService(db.store());

function required(ctx: CommandContext, option: string, command: Command): string {
  const value = ctx.options[option];
  if (typeof value !== 'string' || value.trim() === '') throw new CliError(EXIT.USAGE, `${command.name} needs --${option}.\nUsage: npm run roster -- ${command.name} ${command.synopsis}`);
  return value.trim();
}

/** A file named on the command line. `npm run` starts the CLI in the package folder: a relative path is taken from there. */
async function readInput(file: string): Promise<string> {
  const at = path.resolve(file);
  try {
    return await readFile(at, 'utf8');
  } catch (err) {
    const hint = path.isAbsolute(file) ? '' : ` (npm runs the CLI in ${process.cwd()}: give the file's absolute path)`;
    throw new CliError(EXIT.USAGE, `cannot read ${at}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}${hint}`);
  }
}

/** The options an IdP has switched on, in words. */
const optionWords = (c: SamlConnectionRecord): string[] =>
  [c.isDefault && 'default', c.jitProvisioning && 'jit', c.matchEmail && 'match-email', c.wantResponseSigned && 'want-response-signed'].filter((w): w is string => !!w);

const mappingWords = (c: SamlConnectionRecord): string => (c.roleMappings.length ? c.roleMappings.map((m) => `${m.group}=${m.role}`).join('; ') : '-');

/** The two values the IdP needs, where they go in Okta and Entra, and where people start a sign-in. */
function printPasteValues(ctx: CommandContext, db: Database, c: SamlConnectionRecord): void {
  const config = ctx.config();
  const { spEntityId, acsUrl } = spUrls(db.store(), config.publicUrl);
  ctx.out();
  ctx.out('Paste these into the IdP:');
  ctx.out(`  SP entity ID:  ${spEntityId}    (Okta: Audience URI (SP Entity ID); Entra: Identifier (Entity ID))`);
  ctx.out(`  ACS URL:       ${acsUrl}    (Okta: Single sign-on URL; Entra: Reply URL)`);
  ctx.out(`People sign in at ${loginUrl(config.publicUrl, c)} or from the IdP's app tile.`);
  const note = reachabilityNote(config);
  if (note) ctx.out(note);
}

/** `saml configure --idp <idp> --metadata <file> [--default] [--jit] [--match-email] [--want-response-signed]` */
export const samlConfigure: Command = {
  name: 'saml configure',
  synopsis: '--idp <idp> --metadata <file> [--default] [--jit] [--match-email] [--want-response-signed]',
  summary: 'Add or update a SAML IdP from its metadata XML, turn on the options given, and print the SP entity ID and ACS URL to paste into the IdP.',
  options: {
    idp: { type: 'string' },
    metadata: { type: 'string' },
    default: { type: 'boolean' },
    jit: { type: 'boolean' },
    'match-email': { type: 'boolean' },
    'want-response-signed': { type: 'boolean' },
  },
  positionals: { min: 0, max: 0 },
  graphql: 'mutation ($xml: String!) { configureSaml(idp: "okta", metadataXml: $xml) { idp spEntityId acsUrl } }',
  async run(ctx) {
    const idp = required(ctx, 'idp', samlConfigure);
    const xml = await readInput(required(ctx, 'metadata', samlConfigure));
    // Only the flags given are set: a re-run for a new certificate keeps the options chosen before.
    const options: SamlOptions = {};
    if (ctx.options.default === true) options.isDefault = true;
    if (ctx.options.jit === true) options.jitProvisioning = true;
    if (ctx.options['match-email'] === true) options.matchEmail = true;
    if (ctx.options['want-response-signed'] === true) options.wantResponseSigned = true;
    await ctx.withDatabase(async (db) => {
      let c = await saml(db).configureFromMetadata(SYSTEM, idp, xml);
      if (Object.keys(options).length > 0) c = await saml(db).setOptions(SYSTEM, idp, options);
      const certs = c.certificates.map(describeCertificate);
      ctx.out(`SAML IdP ${c.idp} is configured.`);
      ctx.out(`  IdP entity ID:  ${c.entityId}`);
      ctx.out(`  IdP SSO URL:    ${c.ssoUrl} (${c.ssoBinding})`);
      for (const cert of certs) ctx.out(`  Certificate:    ${cert.subject}, expires ${shortDate(cert.notAfter)}, SHA-256 ${cert.fingerprintSha256}`);
      ctx.out(`  Options:        ${optionWords(c).join(', ') || 'none'}`);
      ctx.out(`  Role mappings:  ${mappingWords(c)}`);
      printPasteValues(ctx, db, c);
    });
  },
};

/** `saml list` */
export const samlList: Command = {
  name: 'saml list',
  synopsis: '',
  summary: 'List the SAML IdPs: certificates, options, role mappings and sign-in URL; and the SP entity ID and ACS URL.',
  positionals: { min: 0, max: 0 },
  graphql: '{ samlConnections { idp entityId isDefault acsUrl certificates { subject notAfter } roleMappings { group role } } }',
  async run(ctx) {
    await ctx.withDatabase(async (db) => {
      const list = await saml(db).list();
      if (!list.length) {
        ctx.out('No SAML IdPs yet. Add one with: npm run roster -- saml configure --idp okta --metadata okta.xml --default');
        return;
      }
      const publicUrl = ctx.config().publicUrl;
      const rows = list.map((c) => {
        const certs = c.certificates.map(describeCertificate);
        const firstExpiry = certs.reduce<Date | null>((min, x) => (min === null || x.notAfter < min ? x.notAfter : min), null);
        return [c.idp, c.entityId, `${certs.length}, first expires ${shortDate(firstExpiry)}`, optionWords(c).join(',') || '-', mappingWords(c), loginUrl(publicUrl, c)];
      });
      for (const line of table(['IDP', 'ENTITY ID', 'CERTIFICATES', 'OPTIONS', 'ROLE MAPPINGS', 'SIGN-IN URL'], rows)) ctx.out(line);
      const { spEntityId, acsUrl } = spUrls(db.store(), publicUrl);
      ctx.out();
      ctx.out(`Every IdP knows Roster as SP entity ID ${spEntityId}, ACS URL ${acsUrl}.`);
    });
  },
};

/** `saml remove --idp <idp>` */
export const samlRemove: Command = {
  name: 'saml remove',
  synopsis: '--idp <idp>',
  summary: 'Remove a SAML IdP: nobody signs in through it any more.',
  options: { idp: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  graphql: 'mutation { removeSaml(idp: "okta") }',
  async run(ctx) {
    const idp = required(ctx, 'idp', samlRemove);
    const removed = await ctx.withDatabase((db) => saml(db).remove(SYSTEM, idp));
    if (!removed) throw new CliError(EXIT.FAILED, `There is no SAML IdP ${JSON.stringify(idp)} (see saml list).`);
    ctx.out(`Removed SAML IdP ${idp}. Sessions opened through it last until they end or are revoked.`);
  },
};

/** `"Roster Admins=ADMIN"` as a mapping; the role is checked by the domain. */
function parseMapping(value: string | boolean): SamlRoleMapping {
  const text = String(value);
  const at = text.lastIndexOf('=');
  if (at <= 0 || at === text.length - 1) throw new CliError(EXIT.USAGE, `--map takes "<group>=<ROLE>", e.g. --map "Roster Admins=ADMIN", not ${JSON.stringify(text)}.`);
  return {
    group: text.slice(0, at).trim(),
    role: text
      .slice(at + 1)
      .trim()
      .toUpperCase() as SamlRoleMapping['role'],
  };
}

/** `saml roles --idp <idp> [--map "<group>=<ROLE>"]…` */
export const samlRoles: Command = {
  name: 'saml roles',
  synopsis: '--idp <idp> [--map "<group>=<ROLE>"]…',
  summary: "Replace a SAML IdP's role mappings (ROLE: READER, ADMIN or OWNER); without --map, clear them.",
  options: { idp: { type: 'string' }, map: { type: 'string', multiple: true } },
  positionals: { min: 0, max: 0 },
  graphql: 'mutation { setSamlOptions(idp: "okta", options: { roleMappings: [{ group: "Roster Admins", role: "ADMIN" }] }) { roleMappings { group role } } }',
  async run(ctx) {
    const idp = required(ctx, 'idp', samlRoles);
    const given = ctx.options.map;
    const roleMappings = (Array.isArray(given) ? given : given === undefined ? [] : [given]).map(parseMapping);
    const c = await ctx.withDatabase((db) => saml(db).setOptions(SYSTEM, idp, { roleMappings }));
    if (!c.roleMappings.length) {
      ctx.out(`${c.idp} has no role mappings: everyone who signs in through it is USER.`);
      return;
    }
    ctx.out(`Role mappings of ${c.idp} (the highest role of a person's groups wins; everyone else is USER):`);
    for (const m of c.roleMappings) ctx.out(`  ${m.group} → ${m.role}`);
  },
};
