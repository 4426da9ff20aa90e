import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startScimApp, ScimTestApp } from './scim-app.js';

/**
 * Replays every recorded IdP conversation of test/fixtures/idp against a fresh Roster, in order,
 * checking each expectation (format and layout: test/fixtures/idp/README.md). Each exchange is its
 * own test, titled with its file name; once one fails, the rest of its conversation fail fast.
 */
const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/idp');
const STEP_FILE = /^(\d{2,3})-[a-z0-9-]+\.json$/;

interface Step {
  name: string;
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown };
  expect: { status: number[]; body?: unknown };
  capture?: Record<string, string>;
}

interface Conversation {
  name: string;
  steps: { file: string; step: Step }[];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${path.relative(FIXTURES, file)}: ${(e as Error).message}`, { cause: e });
  }
}

/** Reads the fixtures; anything missing or out of place throws, failing the file loudly. */
function loadConversations(): Conversation[] {
  const names = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  if (names.length === 0) throw new Error(`no IdP conversations in ${FIXTURES}`);
  return names.map((name) => {
    const dir = path.join(FIXTURES, name);
    const conversation = readJson(path.join(dir, 'conversation.json')) as { idp?: unknown };
    if (typeof conversation.idp !== 'string') throw new Error(`${name}/conversation.json: no "idp"`);
    const files = readdirSync(dir).filter((f) => f !== 'conversation.json');
    const stray = files.filter((f) => !STEP_FILE.test(f));
    if (stray.length > 0) throw new Error(`${name}: not an exchange file (NN-slug.json): ${stray.join(', ')}`);
    const steps = files
      .map((file) => ({ file, n: Number(STEP_FILE.exec(file)![1]) }))
      .sort((a, b) => a.n - b.n)
      .map(({ file, n }, i) => {
        if (n !== i + 1) throw new Error(`${name}/${file}: expected exchange number ${i + 1} (numbers must run 1, 2, 3, … without gaps or repeats)`);
        const step = readJson(path.join(dir, file)) as Step;
        if (typeof step?.name !== 'string' || typeof step.request?.method !== 'string' || typeof step.request.path !== 'string' || !Array.isArray(step.expect?.status)) {
          throw new Error(`${name}/${file}: an exchange needs name, request.method, request.path and expect.status[]`);
        }
        return { file, step };
      });
    if (steps.length === 0) throw new Error(`${name}: no exchanges`);
    return { name, steps };
  });
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

/** Sends one exchange, checks the answer, and records its captures into `vars`. */
async function replay(app: ScimTestApp, label: string, raw: Step, vars: Record<string, string>): Promise<void> {
  const step = substitute(raw, vars);
  const { method, path: p, headers, body } = step.request;
  let req = app.http[method.toLowerCase() as 'get'](`/scim/v2${p}`).set('Authorization', `Bearer ${app.token}`);
  for (const [k, v] of Object.entries(headers ?? {})) req = req.set(k, v);
  if (body !== undefined) req = req.set('Content-Type', headers?.['Content-Type'] ?? 'application/scim+json').send(JSON.stringify(body));
  const res = await req;
  const where = `${label} "${step.name}" (${method} ${p})`;
  if (!step.expect.status.includes(res.status)) throw new Error(`${where}: status ${res.status}, expected ${step.expect.status.join('/')}; body ${JSON.stringify(res.body)}`);
  if (step.expect.body !== undefined) check(step.expect.body, res.body, where);
  for (const [name, field] of Object.entries(step.capture ?? {})) vars[name] = String((res.body as Record<string, unknown>)[field]);
  if (res.status !== 204 && res.status !== 304) expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
}

for (const { name, steps } of loadConversations()) {
  describe(`replay ${name}`, () => {
    let app: ScimTestApp | undefined;
    const vars: Record<string, string> = {};
    /** the exchange file that failed; every later exchange of this conversation is skipped */
    let failed: string | undefined;
    /** how many exchanges, in order from the first, have passed */
    let passed = 0;

    beforeAll(async () => {
      app = await startScimApp();
    });
    afterAll(async () => {
      await app?.close();
    });

    steps.forEach(({ file, step }, i) => {
      test(file, async () => {
        if (failed) throw new Error(`skipped because ${name}/${failed} failed`);
        if (passed !== i) throw new Error(`skipped because ${name}/${steps[passed]!.file} did not run first (the exchanges of a conversation depend on each other)`);
        try {
          await replay(app!, `${name}/${file}`, step, vars);
        } catch (e) {
          failed = file;
          throw e;
        }
        passed++;
      });
    });
  });
}
