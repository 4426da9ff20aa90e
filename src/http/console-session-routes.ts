import Router from '@koa/router';
import { DomainError } from '../domain/errors/domain-errors.js';
import { SessionService } from '../domain/sso/session-service.js';
import type { CallerLimits } from './rate-limit.js';
import type { Database } from '../persistence/database.js';
import { jsonBodyParser } from '../scim/request.js';
import { setSessionCookie } from './sso-routes.js';

export interface ConsoleSessionDeps {
  db: Database;
  limits: CallerLimits;
  https: boolean;
  sessionIdleMs: number;
  sessionMaxMs: number;
}

/**
 * What the console needs before anyone is signed in: the SSO buttons to show, and the first set-up
 * sign-in that exchanges an API key once for a server-side session (the key never stays in the browser).
 */
export function consoleSessionRoutes({ db, limits, https, sessionIdleMs, sessionMaxMs }: ConsoleSessionDeps): Router {
  const router = new Router({ prefix: '/admin/api' });

  router.get('/sign-in-options', async (ctx) => {
    const connections = await db.store().sso.connections();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { idps: connections.map((c) => ({ idp: c.idp, label: labelOf(c.idp), isDefault: c.isDefault })) };
  });

  // JSON only: a cross-site form cannot send it without a CORS preflight, which Roster never grants.
  router.post('/session', jsonBodyParser(4096), async (ctx) => {
    await limits.checkAddress(ctx.ip);
    const key = (ctx.request as { body?: { key?: unknown } }).body?.key;
    if (typeof key !== 'string' || key.length === 0 || key.length > 512) {
      ctx.status = 400;
      ctx.body = { error: 'Send {"key": "<API key>"} as JSON.' };
      return;
    }
    try {
      const { secret, session } = await new SessionService(db.store(), sessionIdleMs).openWithApiKey(key, {
        maxMs: sessionMaxMs,
        address: ctx.ip || null,
        userAgent: ctx.get('user-agent') || null,
        requestId: String(ctx.state.requestId),
      });
      setSessionCookie(ctx, secret, { https, maxAgeMs: sessionMaxMs });
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { role: session.role, expiresAt: session.expiresAt.toISOString() };
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'UNAUTHENTICATED') throw err;
      await limits.failed(ctx.ip);
      ctx.status = 401;
      ctx.body = { error: err.message };
    }
  });
  return router;
}

const KNOWN: Record<string, string> = { okta: 'Okta', entra: 'Microsoft Entra ID', onelogin: 'OneLogin', jumpcloud: 'JumpCloud', authentik: 'authentik', google: 'Google Workspace' };

/** A button label for an IdP label. */
function labelOf(idp: string): string {
  return KNOWN[idp.toLowerCase()] ?? idp;
}
