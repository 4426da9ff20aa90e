import pino from 'pino';
import request from 'supertest';
import type { Server } from 'node:http';
import http from 'node:http';
import { createApp, RosterApp } from '../../../src/app.js';
import { SYSTEM } from '../../../src/auth/principal.js';
import { loadConfig } from '../../../src/config/config.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import type { Database } from '../../../src/persistence/database.js';
import { createTestDatabase } from '../../support/db.js';

/** A running Roster for SCIM protocol tests: a fresh database, the real app, a SCIM token. */
export interface ScimTestApp {
  db: Database;
  roster: RosterApp;
  server: Server;
  token: string;
  idp: string;
  /** supertest agent bound to the server */
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The public URL the test app builds meta.location from. */
export const PUBLIC_URL = 'http://roster.test';

/** Starts Roster on a fresh database with provisioning active for `idp`. */
export async function startScimApp(idp = 'okta', env: Record<string, string> = {}, dbOpts: { statementTimeoutMs?: number } = {}): Promise<ScimTestApp> {
  const db = await createTestDatabase(dbOpts);
  const config = loadConfig({ PUBLIC_URL: PUBLIC_URL, RATE_LIMIT_PER_MINUTE: '0', AUTH_FAILURES_PER_MINUTE: '0', LOG_LEVEL: 'silent', ...env });
  const roster = await createApp({ config, db, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const issued = await new CredentialService(db.store()).activateProvisioning(SYSTEM, idp);
  const server = http.createServer(roster.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    db,
    roster,
    server,
    token: issued.secret,
    idp,
    http: request(server),
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await roster.close();
      await db.close();
    },
  };
}
