import http from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../../src/app.js';
import { SYSTEM } from '../../../src/auth/principal.js';
import { loadConfig } from '../../../src/config/config.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import { createTestDatabase } from '../../support/db.js';
import { querySql } from '../../support/sql.js';
import { PUBLIC_URL, ScimTestApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, Json, ListBody, patchOp, scimClient, ScimClient, unique, URN, userBody } from './scim-client.js';

/**
 * Microsoft Entra sends attributes a server does not know: misspelt names, `displayName` inside a
 * member, `schemas` inside an extension object. POST, PUT and PATCH values ignore them (logged at
 * debug), as they ignore unknown extension URNs; structural errors still answer 400. Where only
 * attribute names are allowed (`attributes`, `excludedAttributes`, `sortBy`), a filter is a 400.
 */
let app: ScimTestApp;
let c: ScimClient;
const logLines: Json[] = [];

/** The app of scim-app.ts, with a debug logger whose lines the tests read. */
async function startWithLog(): Promise<ScimTestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ PUBLIC_URL, RATE_LIMIT_PER_MINUTE: '0', AUTH_FAILURES_PER_MINUTE: '0', LOG_LEVEL: 'debug' });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Json);
      done();
    },
  });
  const roster = await createApp({ config, db, logger: pino({ level: 'debug' }, sink) });
  const issued = await new CredentialService(db.store()).activateProvisioning(SYSTEM, 'entra');
  const server = http.createServer(roster.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    db,
    roster,
    server,
    token: issued.secret,
    idp: 'entra',
    http: request(server),
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await roster.close();
      await db.close();
    },
  };
}

beforeAll(async () => {
  app = await startWithLog();
  c = scimClient(app);
});
afterAll(() => app.close());

/** The attributes the facade logged as ignored for this request id's resource, after `since`. */
function ignoredSince(since: number): string[] {
  return logLines.slice(since).flatMap((l) => (l.msg === 'SCIM write: unknown attributes ignored' ? (l.ignored as string[]) : []));
}

describe('POST and PUT ignore unknown attributes and sub-attributes', () => {
  it('POST /Users as Entra sends it, with misspelt names and its own URN', async () => {
    const since = logLines.length;
    const userName = unique('entra');
    const res = await c.post('/Users', {
      schemas: [URN.user, URN.enterprise, 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User'],
      userName,
      displayname: 'Alex',
      dispalyName: 'typo',
      name: { givenName: 'Alex', nickname: 'Al' },
      emails: [{ value: 'alex@example.com', type: 'work', primary: true, verified: true }],
      [URN.enterprise]: { schemas: [URN.enterprise], department: 'Retail', costCentre: 'x' },
      'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User': { tag: 'x' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      userName,
      displayName: 'Alex',
      name: { givenName: 'Alex' },
      emails: [{ value: 'alex@example.com', type: 'work', primary: true }],
      [URN.enterprise]: { department: 'Retail' },
    });
    expect(res.body.dispalyName).toBeUndefined();
    expect(res.body.name.nickname).toBeUndefined();
    expect(ignoredSince(since).sort()).toEqual(
      ['dispalyName', 'name.nickname', 'emails[0].verified', `${URN.enterprise}:schemas`, `${URN.enterprise}:costCentre`, 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User'].sort(),
    );
  });

  it('PUT /Users with unknown attributes replaces the known ones', async () => {
    const u = await createUser(c, { title: 'Old' });
    const res = await c.put(`/Users/${u.id}`, userBody({ userName: u.userName, title: 'New', shoeSize: 44, name: { familyName: 'W', middle: 'x' } }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'New', name: { familyName: 'W' } });
    expect(res.body.shoeSize).toBeUndefined();
  });

  it('POST and PUT /Groups with displayName inside members (Entra) keep the members', async () => {
    const u = await createUser(c);
    const res = await c.post('/Groups', { schemas: [URN.group], displayName: unique('g'), owner: 'x', members: [{ value: u.id, displayName: 'Alex' }] });
    expect(res.status).toBe(201);
    expect((res.body.members as Json[]).map((m) => m.value)).toEqual([u.id]);
    const put = await c.put(`/Groups/${res.body.id as string}`, { schemas: [URN.group], displayName: res.body.displayName, members: [{ value: u.id, displayName: 'Alex', foo: 1 }] });
    expect(put.status).toBe(200);
    expect((put.body.members as Json[]).map((m) => m.value)).toEqual([u.id]);
  });
});

describe('PATCH values ignore unknown attributes and sub-attributes', () => {
  it('a no-path value with a misspelt name applies the rest', async () => {
    const since = logLines.length;
    const u = await createUser(c);
    const res = await c.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', value: { title: 'T', tittle: 'x', 'name.givenName': 'G', 'name.nick': 'n' } }));
    expect(res.status).toBe(204);
    expect((await c.get(`/Users/${u.id}`)).body).toMatchObject({ title: 'T', name: { givenName: 'G' } });
    expect(ignoredSince(since).sort()).toEqual(['name.nick', 'tittle']);
  });

  it('schemas inside an extension object (Entra) is ignored', async () => {
    const u = await createUser(c);
    const res = await c.patch(`/Users/${u.id}`, patchOp({ op: 'Add', path: URN.enterprise, value: { schemas: [URN.enterprise], employeeNumber: '42' } }));
    expect(res.status).toBe(204);
    const res2 = await c.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', value: { [URN.enterprise]: { schemas: [URN.enterprise], department: 'D' } } }));
    expect(res2.status).toBe(204);
    expect((await c.get(`/Users/${u.id}`)).body[URN.enterprise]).toEqual({ employeeNumber: '42', department: 'D' });
  });

  it('an unknown sub-attribute in an element value is ignored', async () => {
    const u = await createUser(c);
    const res = await c.patch(`/Users/${u.id}`, patchOp({ op: 'Add', path: 'emails', value: [{ value: 'a@example.com', type: 'work', display: 'A', verified: 'True' }] }));
    expect(res.status).toBe(204);
    expect((await c.get(`/Users/${u.id}`)).body.emails).toEqual([{ value: 'a@example.com', type: 'work', display: 'A' }]);
  });

  it('displayName inside a member value (Entra) adds the member', async () => {
    const u = await createUser(c);
    const g = await createGroup(c);
    const res = await c.patch(`/Groups/${g.id}`, patchOp({ op: 'Add', path: 'members', value: [{ value: u.id, displayName: 'Alex' }] }));
    expect(res.status).toBe(204);
    expect(((await c.get(`/Groups/${g.id}`)).body.members as Json[]).map((m) => m.value)).toEqual([u.id]);
  });
});

describe('structural errors still answer 400', () => {
  it.each<[string, Json, string]>([
    ['a wrong type', userBody({ title: 42, shoeSize: 1 }), 'invalidValue'],
    ['a missing userName', { schemas: [URN.user], usrName: 'typo' }, 'invalidValue'],
    ['an extension that is not an object', userBody({ [URN.enterprise]: 'Retail' }), 'invalidSyntax'],
    ['a member without value', { schemas: [URN.group], displayName: 'x', members: [{ displayName: 'Alex' }] }, 'invalidValue'],
  ])('POST with %s', async (_label, body, scimType) => {
    const path = (body.schemas as string[]).includes(URN.group) ? '/Groups' : '/Users';
    expectScimError(await c.post(path, body), 400, scimType);
  });

  it.each<[string, Json, string]>([
    ['a readOnly change', patchOp({ op: 'replace', value: { id: 'other', shoeSize: 1 } }), 'mutability'],
    ['a wrong type', patchOp({ op: 'replace', value: { active: 'maybe', shoeSize: 1 } }), 'invalidValue'],
    ['an unknown path (not a value)', patchOp({ op: 'replace', path: 'shoeSize', value: 1 }), 'invalidPath'],
  ])('PATCH with %s', async (_label, body, scimType) => {
    const u = await createUser(c);
    expectScimError(await c.patch(`/Users/${u.id}`, body), 400, scimType);
  });
});

describe('attributes, excludedAttributes and sortBy take attribute names only', () => {
  const filters = ['emails[type eq "work"]', 'emails[type eq "work"].value', 'userName eq "x"', 'name.givenName.x', 'user\u0000Name'];

  it.each(filters)('attributes=%s is 400 invalidValue on lists, gets and writes', async (name) => {
    const q = encodeURIComponent(name);
    const u = await createUser(c);
    expectScimError(await c.get(`/Users?attributes=${q}`), 400, 'invalidValue');
    expectScimError(await c.get(`/Users/${u.id}?attributes=${q}`), 400, 'invalidValue');
    expectScimError(await c.get(`/Groups?attributes=${q}`), 400, 'invalidValue');
    expectScimError(await c.post(`/Users?attributes=${q}`, userBody()), 400, 'invalidValue');
    expectScimError(await c.post('/Users/.search', { schemas: [URN.search], attributes: [name] }), 400, 'invalidValue');
    expectScimError(await c.post('/.search', { schemas: [URN.search], attributes: [name] }), 400, 'invalidValue');
  });

  it.each(filters)('excludedAttributes=%s is 400 invalidValue', async (name) => {
    const q = encodeURIComponent(name);
    const g = await createGroup(c);
    expectScimError(await c.get(`/Users?excludedAttributes=${q}`), 400, 'invalidValue');
    expectScimError(await c.get(`/Groups/${g.id}?excludedAttributes=${q}`), 400, 'invalidValue');
    expectScimError(await c.patch(`/Groups/${g.id}?excludedAttributes=${q}`, patchOp({ op: 'replace', path: 'displayName', value: unique('g') })), 400, 'invalidValue');
    expectScimError(await c.post('/Groups/.search', { schemas: [URN.search], excludedAttributes: [name] }), 400, 'invalidValue');
  });

  it.each(filters)('sortBy=%s is 400 invalidValue', async (name) => {
    expectScimError(await c.get(`/Users?sortBy=${encodeURIComponent(name)}`), 400, 'invalidValue');
    expectScimError(await c.post('/Groups/.search', { schemas: [URN.search], sortBy: name }), 400, 'invalidValue');
  });

  it('attributes that are not a string or a list of strings are 400 invalidValue', async () => {
    expectScimError(await c.post('/Users/.search', { schemas: [URN.search], attributes: { userName: true } }), 400, 'invalidValue');
    expectScimError(await c.post('/Users/.search', { schemas: [URN.search], excludedAttributes: [1] }), 400, 'invalidValue');
  });

  it('well-formed names still work: dotted, URN-qualified, schema URNs, unknown ones ignored', async () => {
    const u = await createUser(c, { name: { givenName: 'G', familyName: 'F' }, [URN.enterprise]: { department: 'D' } });
    const res = await c.get(`/Users/${u.id}?attributes=name.givenName,${URN.enterprise}:department,shoeSize`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: u.id, name: { givenName: 'G' }, [URN.enterprise]: { department: 'D' } });
    expect(res.body.name.familyName).toBeUndefined();
    const list = await c.get(`/Users?filter=${encodeURIComponent(`id eq "${u.id}"`)}&excludedAttributes=${URN.enterprise},emails`);
    expect((list.body as ListBody).Resources[0][URN.enterprise]).toBeUndefined();
    expect((await c.get('/Groups?excludedAttributes=members&attributes=displayName')).status).toBe(200);
  });
});

describe('the audit trail lists what was ignored', () => {
  const auditOf = async (id: string, action: string) =>
    (await querySql<{ ignored: string[]; changed: string[] }>(app.db, 'select ignored, changed from audit_events where resource_id = ? and action = ? order by at desc limit 1', [id, action]))[0];

  it('in the event of a POST, a PATCH and a group PUT', async () => {
    const created = await c.post('/Users', { schemas: [URN.user], userName: unique('audited'), dispalyName: 'typo', name: { givenName: 'A', nickname: 'x' } }).expect(201);
    const id = created.body.id as string;
    expect((await auditOf(id, 'user.create'))?.ignored.sort()).toEqual(['dispalyName', 'name.nickname']);
    await c.patch(`/Users/${id}`, patchOp({ op: 'Replace', value: { title: 'T', tittle: 'x' } })).expect(204);
    expect(await auditOf(id, 'user.update')).toEqual({ ignored: ['tittle'], changed: ['title'] });
    const g = await createGroup(c);
    await c.put(`/Groups/${g.id as string}`, { schemas: [URN.group], displayName: `${g.displayName as string}-2`, colour: 'red', members: [] }).expect(200);
    expect((await auditOf(g.id as string, 'group.update'))?.ignored).toEqual(['colour']);
  });
});
