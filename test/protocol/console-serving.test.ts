import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import request from 'supertest';
import { consoleRoutes, CSP_NONCE_PLACEHOLDER } from '../../src/http/console-routes.js';

// The serving rules of the admin console (DESIGN §10), on a bare Koa app over the real build in
// console/dist (`npm ci` builds it through prepare; built here once if missing).
const DIST = path.resolve('console', 'dist');

/** The app as it would be mounted, with a route after it that must still get /admin/api/*. */
function appFor(distDir?: string): Koa {
  const app = new Koa();
  app.use(consoleRoutes(distDir ? { distDir } : {}));
  app.use(async (ctx) => {
    ctx.status = 418;
    ctx.body = { passedOn: ctx.path };
  });
  return app;
}

const nonceOf = (csp: string): string => /'nonce-([^']+)'/.exec(csp)?.[1] ?? '';

let app: Koa;
let asset: string;
beforeAll(() => {
  if (!existsSync(path.join(DIST, 'index.html'))) execFileSync('npm', ['run', 'build', '-w', 'console'], { stdio: 'ignore' });
  asset = readdirSync(path.join(DIST, 'assets')).find((f) => f.endsWith('.js'))!;
  app = appFor();
});

describe('the admin console at /admin', () => {
  it('serves index.html under a strict CSP whose nonce stamps every tag it loads', async () => {
    const res = await request(app.callback()).get('/admin/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    const csp = res.headers['content-security-policy'];
    const nonce = nonceOf(csp);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(csp).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'`,
    );
    expect(res.text).not.toContain(CSP_NONCE_PLACEHOLDER);
    expect(res.text).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);
    expect(res.text).toMatch(new RegExp(`<script type="module" crossorigin src="/admin/assets/[^"]+\\.js" nonce="${nonce.replace(/[+/]/g, '\\$&')}"></script>`));
    // Everything the page loads comes from /admin, and exists.
    const refs = [...res.text.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref).toMatch(/^\/admin\//);
      expect((await request(app.callback()).get(ref)).status).toBe(200);
    }
  });

  it('uses a different nonce for every request', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) nonces.add(nonceOf((await request(app.callback()).get('/admin/users')).headers['content-security-policy']));
    expect(nonces.size).toBe(5);
  });

  it.each(['/admin', '/admin/', '/admin/users', '/admin/groups/3f1c0a52-8a4e-4b7b-9a51-6c2d1f0e9b77', '/admin/sign-in', '/admin/index.html'])(
    'answers the client route %s (a reload) with index.html',
    async (url) => {
      const res = await request(app.callback()).get(url);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<div id="root"></div>');
    },
  );

  it('serves hashed assets as immutable', async () => {
    const res = await request(app.callback()).get(`/admin/assets/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers a missing asset 404, never with index.html', async () => {
    for (const url of [
      '/admin/assets/index-NOPE1234.js',
      '/admin/assets/%2e%2e/index.html',
      '/admin/assets/..%2f..%2fpackage.json',
      '/admin/assets/',
      '/admin/nope.png',
      '/admin/%2e%2e%2fpackage.json',
    ]) {
      const res = await request(app.callback()).get(url);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('<div id="root">');
    }
  });

  it('has a favicon', async () => {
    const res = await request(app.callback()).get('/admin/favicon.svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
  });

  it('leaves /admin/api/*, other paths and other methods to the routes after it', async () => {
    for (const [method, url] of [
      ['get', '/admin/api/sign-in-options'],
      ['post', '/admin/api/session'],
      ['post', '/admin/users'],
      ['get', '/administrator'],
      ['get', '/'],
    ] as const) {
      const res = await request(app.callback())[method](url);
      expect(res.status).toBe(418);
    }
  });

  it('answers 503 with a hint when the console is not built', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'roster-console-'));
    try {
      const res = await request(appFor(path.join(empty, 'dist')).callback()).get('/admin/users');
      expect(res.status).toBe(503);
      expect(res.text).toBe('The admin console is not built: run npm run build.\n');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
