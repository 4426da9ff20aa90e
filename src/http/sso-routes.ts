import Router from '@koa/router';
import type Koa from 'koa';
import type { Logger } from 'pino';
import getRawBody from 'raw-body';
import { DomainError } from '../domain/errors/domain-errors.js';
import { safeReturnTo } from '../domain/sso/return-to.js';
import { SessionService } from '../domain/sso/session-service.js';
import { SignInRefused, SignInService, type SsoSettings } from '../domain/sso/sign-in-service.js';
import type { Database } from '../persistence/database.js';
import { MAX_RESPONSE_BYTES, spMetadataXml } from '../saml/index.js';

/** The session cookie: a random secret; the server keeps only its hash. */
export const SESSION_COOKIE = 'roster_session';

/**
 * Sets (or clears, with '') the session cookie. `Secure` follows PUBLIC_URL, not the socket: behind a
 * TLS-terminating proxy the connection Roster sees is plain HTTP, yet browsers speak HTTPS, and the
 * cookies library would refuse a Secure cookie on it.
 */
export function setSessionCookie(ctx: Koa.Context, secret: string, opts: { https: boolean; maxAgeMs: number }): void {
  if (opts.https) (ctx.cookies as unknown as { secure: boolean }).secure = true;
  ctx.cookies.set(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'lax', secure: opts.https, path: '/', maxAge: secret ? opts.maxAgeMs : 0, overwrite: true });
}

/** The SAMLResponse is base64 (4/3 of the XML) plus RelayState and form encoding. */
const FORM_LIMIT = Math.ceil((MAX_RESPONSE_BYTES * 4) / 3) + 16 * 1024;

export interface SsoRouteDeps {
  db: Database;
  settings: SsoSettings;
  idleMs: number;
  logger: Logger;
}

/**
 * The SAML service provider at /saml/sp/* (DESIGN §9). Refusals show the browser a generic page
 * with a reference (the request id); the log and the audit trail carry the precise reason.
 */
export function ssoRoutes({ db, settings, idleMs, logger }: SsoRouteDeps): Router {
  const router = new Router({ prefix: '/saml/sp' });
  const https = settings.publicUrl.startsWith('https:');
  const idpOf = (ctx: Koa.Context): string | undefined => (typeof ctx.query.idp === 'string' && ctx.query.idp !== '' ? ctx.query.idp : undefined);

  router.get('/metadata', async (ctx) => {
    const signIn = new SignInService(db.store(), settings);
    ctx.type = 'application/samlmetadata+xml';
    ctx.body = spMetadataXml(signIn.sp());
  });

  router.get('/login', async (ctx) => {
    const returnTo = typeof ctx.query.returnTo === 'string' ? ctx.query.returnTo : undefined;
    const url = await new SignInService(db.store(), settings).startLogin(idpOf(ctx), returnTo);
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(url);
  });

  router.post('/acs', async (ctx) => {
    const ref = String(ctx.state.requestId);
    const form = await readForm(ctx);
    if (!form) return refusalPage(ctx, 400, ref, 'The sign-in form was not readable.');
    const samlResponse = form.get('SAMLResponse');
    if (!samlResponse) return refusalPage(ctx, 400, ref, 'The sign-in form carried no SAMLResponse.');
    try {
      const done = await new SignInService(db.store(), settings).completeLogin({
        samlResponse,
        relayState: form.get('RelayState') ?? undefined,
        idp: idpOf(ctx),
        address: ctx.ip || null,
        userAgent: ctx.get('user-agent') || null,
        requestId: ref,
      });
      setSessionCookie(ctx, done.secret, { https, maxAgeMs: settings.sessionMaxMs });
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 303;
      ctx.redirect(done.returnTo);
    } catch (err) {
      if (!(err instanceof SignInRefused)) throw err;
      logger.warn({ reqId: ref, reason: err.reason, detail: err.detail, idp: idpOf(ctx) ?? '(default)' }, 'SAML sign-in refused');
      refusalPage(ctx, err.status, ref, err.status === 403 ? 'Your account cannot sign in to Roster. Ask your administrator to check your access.' : 'The sign-in could not be completed.');
    }
  });

  router.post('/logout', async (ctx) => {
    const secret = ctx.cookies.get(SESSION_COOKIE);
    if (secret) await new SessionService(db.store(), idleMs).logout(secret, String(ctx.state.requestId));
    setSessionCookie(ctx, '', { https, maxAgeMs: 0 });
    ctx.set('Cache-Control', 'no-store');
    const returnTo = typeof ctx.query.returnTo === 'string' ? ctx.query.returnTo : undefined;
    ctx.status = 303;
    ctx.redirect(safeReturnTo(returnTo));
  });

  // Configuration errors (no such IdP) answer as plain pages too: these are browser routes.
  const wrapped = new Router();
  wrapped.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const status = err.code === 'NOT_FOUND' ? 404 : 400;
      refusalPage(ctx, status, String(ctx.state.requestId), status === 404 ? 'Single sign-on is not set up for this identity provider.' : err.message);
    }
  });
  wrapped.use(router.routes(), router.allowedMethods());
  return wrapped;
}

/** The urlencoded form, capped; null when it is not one or is not UTF-8. */
async function readForm(ctx: Koa.Context): Promise<URLSearchParams | null> {
  if (!ctx.is('application/x-www-form-urlencoded')) return null;
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit: FORM_LIMIT, length: ctx.get('content-length') || undefined, encoding: 'utf-8' });
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') {
      ctx.throw(413, 'The sign-in form is too large.');
    }
    return null;
  }
  return new URLSearchParams(text);
}

function refusalPage(ctx: Koa.Context, status: number, ref: string, message: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in refused · Roster</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:.1rem .3rem}</style></head>
<body><h1>Sign-in refused</h1><p>${escapeHtml(message)}</p><p>Reference: <code>${escapeHtml(ref)}</code>. Give it to your administrator: the reason is in Roster's log and audit trail.</p>
<p><a href="/saml/sp/login">Try again</a></p></body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
