import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startScimApp, ScimTestApp } from './scim-app.js';

/**
 * Replays every recorded IdP conversation of shared/fixtures/idp against a fresh Roster, in order,
 * checking each expectation (format: shared/fixtures/idp/README.md).
 */
const FIXTURES = [path.resolve(import.meta.dirname, '../../../../shared/fixtures/idp'), path.resolve(import.meta.dirname, '../../../shared/fixtures/idp')].find((p) => {
  try {
    return readdirSync(p).length > 0;
  } catch {
    return false;
  }
});

interface Step {
  name: string;
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown };
  expect: { status: number[]; body?: unknown };
  capture?: Record<string, string>;
}

const ANY = '{{ANY}}';

function substitute<T>(value: T, vars: Record<string, string>): T {
  return JSON.parse(JSON.stringify(value).replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k === 'ANY' ? m : (vars[k] ?? m)))) as T;
}

/** Partial match: every given field equal; arrays same length, elements matched in order. */
function check(expected: unknown, actual: unknown, where: string): void {
  if (expected === ANY) {
    if (actual === undefined) throw new Error(`${where}: expected a value, got none`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) throw new Error(`${where}: expected ${expected.length} items, got ${JSON.stringify(actual)}`);
    expected.forEach((e, i) => check(e, actual[i], `${where}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') throw new Error(`${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) check(v, (actual as Record<string, unknown>)[k], `${where}.${k}`);
    return;
  }
  if (expected !== actual) throw new Error(`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const files = FIXTURES ? readdirSync(FIXTURES).filter((f) => f.endsWith('.json')) : [];

test('the IdP fixtures are present', () => {
  expect(files.length).toBeGreaterThanOrEqual(3);
});

describe.each(files)('replay %s', (file) => {
  let app: ScimTestApp;
  beforeAll(async () => {
    app = await startScimApp();
  });
  afterAll(() => app.close());

  test('every step gets the answer the IdP expects', async () => {
    const { steps } = JSON.parse(readFileSync(path.join(FIXTURES!, file), 'utf8')) as { steps: Step[] };
    const vars: Record<string, string> = {};
    for (const [i, raw] of steps.entries()) {
      const step = substitute(raw, vars);
      const { method, path: p, headers, body } = step.request;
      let req = app.http[method.toLowerCase() as 'get'](`/scim/v2${p}`).set('Authorization', `Bearer ${app.token}`);
      for (const [k, v] of Object.entries(headers ?? {})) req = req.set(k, v);
      if (body !== undefined) req = req.set('Content-Type', headers?.['Content-Type'] ?? 'application/scim+json').send(JSON.stringify(body));
      const res = await req;
      const label = `step ${i + 1} "${step.name}" (${method} ${p})`;
      if (!step.expect.status.includes(res.status)) throw new Error(`${label}: status ${res.status}, expected ${step.expect.status.join('/')}; body ${JSON.stringify(res.body)}`);
      if (step.expect.body !== undefined) check(step.expect.body, res.body, label);
      for (const [name, field] of Object.entries(step.capture ?? {})) vars[name] = String((res.body as Record<string, unknown>)[field]);
      if (res.status !== 204 && res.status !== 304) expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    }
  });
});
