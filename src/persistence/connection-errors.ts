import { Client } from 'pg';

/** A DATABASE_URL that cannot be used, explained in one line (no stack, never the password). */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(
    message: string,
    /** what went wrong, for callers that can repair it (migrate creates a missing database) */
    readonly reason: 'missing-database' | 'refused' | 'auth' | 'unknown-host' | 'other',
  ) {
    super(message);
  }
}

/** `host:port/db` of a URL, without user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(an unparsable URL)';
  }
}

/** Finds the pg error (code, errno) behind whatever the ORM or driver threw. */
function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors.length) e = errors[0];
    else e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Turns a connection failure into a one-line DatabaseUnavailableError, or returns undefined. */
export function explainConnectionError(err: unknown, url: string): DatabaseUnavailableError | undefined {
  const where = describeUrl(url);
  const code = codeOf(err);
  const db = where.slice(where.indexOf('/') + 1);
  switch (code) {
    case '3D000':
      return new DatabaseUnavailableError(`DATABASE_URL: the database "${db}" does not exist on ${where.split('/')[0]}. Create it, or run \`npm run migrate\`, which creates it.`, 'missing-database');
    case 'ECONNREFUSED':
      return new DatabaseUnavailableError(`DATABASE_URL: connection refused by ${where.split('/')[0]}. Is PostgreSQL running and listening there?`, 'refused');
    case '28P01':
    case '28000':
      return new DatabaseUnavailableError(`DATABASE_URL: authentication failed for ${where}. Check the user name and password in the URL.`, 'auth');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DatabaseUnavailableError(`DATABASE_URL: the host in ${where} cannot be found.`, 'unknown-host');
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case '57P03':
      return new DatabaseUnavailableError(`DATABASE_URL: ${where} did not answer (${code}).`, 'other');
    default:
      return undefined;
  }
}

/** Creates the URL's database through the server's `postgres` database; returns its name. */
export async function createDatabaseOf(url: string): Promise<string> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!name) throw new DatabaseUnavailableError('DATABASE_URL names no database.', 'other');
  u.pathname = '/postgres';
  const admin = new Client({ connectionString: u.toString() });
  await admin.connect();
  try {
    // An identifier cannot be a parameter: quote it the way PostgreSQL's quote_ident does.
    await admin.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  return name;
}
