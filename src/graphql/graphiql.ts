import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Koa from 'koa';

/** GraphiQL's assets are files inside installed packages; resolve them the way Node would load them. */
const require = createRequire(import.meta.url);

/** Where GraphiQL is mounted: the GraphQL endpoint it talks to and the URL prefix its assets are served under. */
export interface GraphiqlOptions {
  /** Path of the GraphQL endpoint, e.g. `/graphql`; the page is served from it and the fetcher posts to it. */
  endpoint: string;
  /** Path prefix for the bundled assets, e.g. `/graphiql`; everything the page loads lives below it. */
  assetsPrefix: string;
  /** Whether the endpoint answers introspection without a key (GRAPHQL_ANONYMOUS_INTROSPECTION). */
  anonymousIntrospection?: boolean;
}

/** The text an admin sees in the Headers tab, so it is obvious where the API key goes. */
const HEADERS_PLACEHOLDER = JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2);

const DEFAULT_QUERY = `# Roster GraphQL
#
# Put your API key in the Headers tab below (replace <your API key>),
# then write a query here and run it with Ctrl-Enter or the play button.
`;

/**
 * The page's bootstrap, served as a file rather than inline so the CSP can forbid inline scripts.
 * It reads the endpoint from the page instead of having it baked in, which keeps this asset
 * identical for every mount point and therefore cacheable forever.
 */
const INIT_JS = `(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var endpoint = root.getAttribute('data-endpoint');
  // Roster answers introspection only with an API key, unless turned on for anonymous callers.
  var anonymousIntrospection = root.getAttribute('data-anonymous-introspection') === 'true';
  var fetchGraphql = GraphiQL.createFetcher({ url: endpoint });

  /** The Authorization header among these headers, when it holds a key rather than the placeholder. */
  function keyOf(headers) {
    if (!headers || typeof headers !== 'object') return null;
    for (var name in headers) {
      var value = String(headers[name]);
      if (name.toLowerCase() === 'authorization' && /^Bearer\\s+[^\\s<>]+\\s*$/i.test(value)) return value;
    }
    return null;
  }
  function keyIn(text) {
    try {
      return keyOf(JSON.parse(text || '{}'));
    } catch (e) {
      return null;
    }
  }

  /**
   * GraphiQL introspects once, on load, with the placeholder header: that would only be refused.
   * Until there is a key, it is told where the key goes instead; a new fetcher each time the key
   * changes makes it introspect again, with the headers as they are then.
   */
  function fetcher() {
    return function (params, options) {
      if (params && params.operationName === 'IntrospectionQuery' && !anonymousIntrospection && !keyOf(options && options.headers)) {
        return Promise.resolve({ errors: [{ message: 'Put your API key in the Headers tab: the schema loads as soon as it is there.' }] });
      }
      return fetchGraphql(params, options);
    };
  }

  var key = null;
  var timer = null;
  var props = {
    fetcher: fetcher(),
    isHeadersEditorEnabled: true,
    defaultHeaders: ${JSON.stringify(HEADERS_PLACEHOLDER)},
    // An API key is a credential: keep it out of localStorage, where any script on this origin could read it.
    shouldPersistHeaders: false,
    // Open the Headers tab straight away: nothing works until the key is in it.
    defaultEditorToolsVisibility: 'headers',
    defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
    onEditHeaders: function (text) {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var next = keyIn(text);
        if (next === key) return;
        key = next;
        props = Object.assign({}, props, { fetcher: fetcher() });
        render();
      }, 300);
    }
  };
  // Our own logo text replaces GraphiQL's, which links to github.com.
  var logo = React.createElement(GraphiQL.Logo, null, 'Roster GraphQL');
  var reactRoot = ReactDOM.createRoot(root);
  function render() {
    reactRoot.render(React.createElement(GraphiQL, props, logo));
  }
  render();
})();
`;

/**
 * GraphiQL's CSS expects its container to be sized by the page; a file, because the CSP forbids inline styles.
 * No margin and nothing to scroll also keep the scroll-lock stylesheet below byte-for-byte constant.
 * (Not `overflow: hidden` on body: the scroll lock then logs an error as it cannot measure the scrollbar.)
 */
const PAGE_CSS = `html, body { height: 100%; margin: 0; }
#graphiql { height: 100vh; height: 100dvh; }
`;

/**
 * GraphiQL's dialogs (settings, short keys) lock page scrolling by injecting a <style> element
 * (react-remove-scroll-bar). Its text only varies with the body's margins and scrollbar width, which
 * PAGE_CSS pins to 0, so allowing that exact text by hash keeps the page free of 'unsafe-inline'.
 * A GraphiQL upgrade that changes it shows up as a CSP error in test/protocol/graphiql.test.ts.
 */
const SCROLL_LOCK_STYLE_HASH = "'sha256-Y/huXlwoYkVyQlxwSVcCi1RCDGDCSVBzDt0hYP9qlTc='";

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Resolves a UMD build inside a package whose `exports` map hides it, by going through its package.json. */
function resolveInPackage(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

type AssetSource = { type: string } & ({ file: () => string } | { text: string });

/**
 * The allow-list: only these names are ever served, so no request path reaches the file system.
 * Order matters for scripts: React and ReactDOM are globals the GraphiQL UMD build expects.
 */
const ASSETS: ReadonlyMap<string, AssetSource> = new Map<string, AssetSource>([
  ['graphiql.min.css', { type: CSS, file: () => require.resolve('graphiql/graphiql.min.css') }],
  ['page.css', { type: CSS, text: PAGE_CSS }],
  ['react.production.min.js', { type: JS, file: () => resolveInPackage('react', 'umd/react.production.min.js') }],
  ['react-dom.production.min.js', { type: JS, file: () => resolveInPackage('react-dom', 'umd/react-dom.production.min.js') }],
  ['graphiql.min.js', { type: JS, file: () => require.resolve('graphiql/graphiql.min.js') }],
  ['init.js', { type: JS, text: INIT_JS }],
]);

interface LoadedAsset {
  body: Buffer;
  type: string;
  etag: string;
  /** Content hash put in the asset URL, so a GraphiQL upgrade changes the URL and the long cache stays safe. */
  version: string;
}

/** One read per process: the files only change when node_modules does, which means a restart. */
const loaded = new Map<string, Promise<LoadedAsset>>();

function loadAsset(name: string, source: AssetSource): Promise<LoadedAsset> {
  let asset = loaded.get(name);
  if (!asset) {
    asset = (async () => {
      const body = 'text' in source ? Buffer.from(source.text, 'utf8') : await readFile(source.file());
      const hash = createHash('sha256').update(body).digest('base64url');
      return { body, type: source.type, etag: `"${hash}"`, version: hash.slice(0, 16) };
    })();
    // A failed read (say, a broken install) should be retried on the next request, not cached.
    asset.catch(() => loaded.delete(name));
    loaded.set(name, asset);
  }
  return asset;
}

/**
 * Only our own origin, and data: for the fonts and icons inlined in GraphiQL's CSS.
 * No 'unsafe-inline' anywhere: the page has no inline script, and the one inline style is pinned by hash.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${SCROLL_LOCK_STYLE_HASH}`,
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function renderPage(endpoint: string, assetsPrefix: string, anonymousIntrospection: boolean): Promise<string> {
  const url = async (name: string): Promise<string> => {
    const asset = await loadAsset(name, ASSETS.get(name) as AssetSource);
    return escapeHtml(`${assetsPrefix}/${name}?v=${asset.version}`);
  };
  const styles = await Promise.all(['graphiql.min.css', 'page.css'].map(url));
  const scripts = await Promise.all(['react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'init.js'].map(url));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Roster GraphQL</title>
<link rel="icon" href="data:,">
${styles.map((href) => `<link rel="stylesheet" href="${href}">`).join('\n')}
${scripts.map((src) => `<script defer src="${src}"></script>`).join('\n')}
</head>
<body>
<div id="graphiql" data-endpoint="${escapeHtml(endpoint)}" data-anonymous-introspection="${anonymousIntrospection}">Loading GraphiQL…</div>
<noscript>GraphiQL needs JavaScript.</noscript>
</body>
</html>
`;
}

function normalizePath(name: string, value: string): string {
  const trimmed = value.replace(/\/+$/, '');
  if (!trimmed.startsWith('/')) throw new Error(`graphiqlMiddleware: ${name} must be an absolute path, got ${value}`);
  return trimmed;
}

/** Koa middleware serving GraphiQL (page at GET `endpoint` for browsers, assets under `assetsPrefix`), all from node_modules. */
export function graphiqlMiddleware(opts: GraphiqlOptions): Koa.Middleware {
  const endpoint = normalizePath('endpoint', opts.endpoint);
  const assetsPrefix = normalizePath('assetsPrefix', opts.assetsPrefix);
  if (assetsPrefix === endpoint) throw new Error('graphiqlMiddleware: assetsPrefix must differ from endpoint');
  // Resolve now so a missing package fails at startup rather than on an admin's first visit.
  for (const source of ASSETS.values()) if ('file' in source) source.file();

  let page: Promise<{ html: string; etag: string }> | undefined;
  const getPage = (): Promise<{ html: string; etag: string }> => {
    if (!page) {
      page = renderPage(endpoint, assetsPrefix, opts.anonymousIntrospection ?? false).then((html) => ({
        html,
        etag: `"${createHash('sha256').update(html).digest('base64url')}"`,
      }));
      page.catch(() => (page = undefined));
    }
    return page;
  };

  return async function graphiql(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      await next();
      return;
    }

    if (ctx.path.startsWith(`${assetsPrefix}/`)) {
      // ctx.path is still percent-encoded, so `..%2F` tricks simply miss the allow-list.
      const name = ctx.path.slice(assetsPrefix.length + 1);
      const source = ASSETS.get(name);
      if (!source) {
        ctx.status = 404;
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = 'Not Found';
        return;
      }
      const asset = await loadAsset(name, source);
      ctx.status = 200;
      ctx.type = asset.type;
      ctx.etag = asset.etag;
      ctx.set('X-Content-Type-Options', 'nosniff');
      // Only a URL carrying the current content hash may be cached forever; anything else must revalidate.
      ctx.set('Cache-Control', ctx.query.v === asset.version ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate');
      if (ctx.fresh) {
        ctx.status = 304;
        return;
      }
      ctx.body = asset.body;
      return;
    }

    // Browsers navigating to the endpoint prefer HTML; GraphQL clients (and GET queries) go on to Apollo.
    if (ctx.path === endpoint && ctx.query.query === undefined && ctx.accepts('json', 'html') === 'html') {
      const { html, etag } = await getPage();
      ctx.vary('Accept');
      ctx.status = 200;
      ctx.type = 'text/html; charset=utf-8';
      ctx.etag = etag;
      // The page names the current asset hashes, so it must be revalidated to pick up an upgrade.
      ctx.set('Cache-Control', 'no-cache');
      ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('X-Frame-Options', 'DENY');
      ctx.set('Referrer-Policy', 'no-referrer');
      if (ctx.fresh) {
        ctx.status = 304;
        return;
      }
      ctx.body = html;
      return;
    }

    await next();
  };
}
