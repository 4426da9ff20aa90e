import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { send } from '@koa/send';
import type Koa from 'koa';

/** The admin console's URL prefix (Vite's `base` in console/vite.config.ts). */
export const CONSOLE_PREFIX = '/admin';
/** What Vite writes where the nonce goes (console/vite.config.ts keeps the same string). */
export const CSP_NONCE_PLACEHOLDER = '__ROSTER_CSP_NONCE__';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A file name Vite writes: no slashes, no encoded characters, no "..". */
const FILE_NAME = /^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The CSP of the console's page: nothing inline but the nonce-stamped styles Mantine injects. */
export function consoleCsp(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** console/dist, found from this module: src/http when run by jest, dist/src/http when built. */
function defaultDistDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'console', 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('console', 'dist');
    dir = parent;
  }
  return path.join(dir, 'console', 'dist');
}

export interface ConsoleRoutesOptions {
  /** The built console (default: console/dist in the project). */
  distDir?: string;
}

/**
 * Serves the built admin console at /admin (DESIGN §10): hashed assets cached forever, a missing
 * file 404, and every other GET (a client route) answered with index.html, uncached, under a
 * strict CSP with a fresh nonce. /admin/api/* is left to the routes that own it. Not built: 503.
 */
export function consoleRoutes({ distDir = defaultDistDir() }: ConsoleRoutesOptions = {}): Koa.Middleware {
  const indexFile = path.join(distDir, 'index.html');

  const serveIndex = async (ctx: Koa.Context): Promise<void> => {
    let html: string;
    try {
      // Read per request: small, and a rebuild (new asset hashes) is picked up without a restart.
      html = await readFile(indexFile, 'utf8');
    } catch {
      ctx.status = 503;
      ctx.type = 'text/plain';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = 'The admin console is not built: run npm run build.\n';
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    ctx.set('Content-Security-Policy', consoleCsp(nonce));
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html.replaceAll(CSP_NONCE_PLACEHOLDER, nonce);
  };

  const notFound = (ctx: Koa.Context): void => {
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = 'Not found\n';
  };

  /** A file from dist (hashed assets and the favicon); 404 when there is none. */
  const serveFile = async (ctx: Koa.Context, dir: string, name: string, cacheControl: string): Promise<void> => {
    if (!FILE_NAME.test(name)) return notFound(ctx);
    try {
      await send(ctx, `${dir}${name}`, {
        root: distDir,
        index: false,
        hidden: false,
        setHeaders: (res) => {
          res.setHeader('Cache-Control', cacheControl);
          res.setHeader('X-Content-Type-Options', 'nosniff');
        },
      });
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status !== 404 && status !== 400 && status !== 403) throw err;
      notFound(ctx);
    }
  };

  /** Whether a request is the console's: a GET or HEAD under /admin, except /admin/api/*. */
  const ours = (ctx: Koa.Context, rest: string | undefined): rest is string => rest !== undefined && rest !== '/api' && !rest.startsWith('/api/') && (ctx.method === 'GET' || ctx.method === 'HEAD');

  return async (ctx, next) => {
    const p = ctx.path;
    const rest = p === CONSOLE_PREFIX || p.startsWith(`${CONSOLE_PREFIX}/`) ? p.slice(CONSOLE_PREFIX.length) : undefined; // '' or '/…'
    if (!ours(ctx, rest)) {
      await next();
      return;
    }

    if (rest.startsWith('/assets/')) return serveFile(ctx, '/assets/', rest.slice('/assets/'.length), IMMUTABLE);
    if (rest === '/index.html') return serveIndex(ctx);
    // A file name (it has an extension) is a file in dist, e.g. /admin/favicon.svg; anything else is a client route.
    if (/\.[A-Za-z0-9]+$/.test(rest)) return serveFile(ctx, '/', rest.slice(1), 'public, max-age=86400');
    return serveIndex(ctx);
  };
}
