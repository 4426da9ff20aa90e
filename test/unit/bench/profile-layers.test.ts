import path from 'node:path';
import {
  comparisonText,
  type CpuProfile,
  frameOf,
  layerOfStack,
  LAYERS,
  layersComparison,
  layersMarkdown,
  layersReport,
  markedSpans,
  markScenario,
  profileLayers,
} from '../../../bench/profile-layers.js';

/**
 * test/fixtures/bench/synthetic.cpuprofile: one node per kind of stack, 1 ms per sample (33 samples):
 * module loading 1, idle 5, GC 2, (program) 1, JSON.parse under the SCIM body parser 3, the graphql
 * parser 1, pg's socket write 4, Buffer.from under the user mapper 2, authenticate 2 + its hash 1,
 * Koa's respond 2 + its socket write 1, an unknown package 1, PGlite's WASM 3, a bare socket read 1,
 * graphql execute 2, koa-compose 1.
 */
const FIXTURE = path.resolve(process.cwd(), 'test/fixtures/bench/synthetic.cpuprofile');

const msOf = (rows: { layer: string; ms: number }[]) => Object.fromEntries(rows.map((r) => [r.layer, Math.round(r.ms * 1000) / 1000]));

describe('profileLayers', () => {
  it('gives every sample to the first layer found from the leaf up', () => {
    const rows = profileLayers(FIXTURE);
    expect(msOf(rows)).toEqual({
      [LAYERS.http]: 3, // koa-compose; Koa's res.end → socket; a bare socket read
      [LAYERS.parse]: 4, // JSON.parse (native) under src/scim/request; graphql/language/parser
      [LAYERS.auth]: 3, // authenticate, and the crypto hash it calls
      [LAYERS.graphql]: 2,
      [LAYERS.sql]: 4, // node:net writev under pg's client: the driver's, not HTTP's
      [LAYERS.pglite]: 3, // the WASM frames (their JS caller, execProtocolRaw, has no sample of its own)
      [LAYERS.mapping]: 2, // Buffer.from under the user mapper
      [LAYERS.serialisation]: 2, // Koa's respond (JSON.stringify)
      [LAYERS.startup]: 1,
      [LAYERS.gc]: 2,
      [LAYERS.program]: 1,
      [LAYERS.other]: 1, // left-pad: no rule
      [LAYERS.idle]: 5,
    });
    // in display order, and the shares are of the CPU time (28 ms busy), idle's of the whole (33 ms)
    expect(rows.map((r) => r.layer)).toEqual([
      LAYERS.http,
      LAYERS.parse,
      LAYERS.auth,
      LAYERS.graphql,
      LAYERS.sql,
      LAYERS.pglite,
      LAYERS.mapping,
      LAYERS.serialisation,
      LAYERS.startup,
      LAYERS.gc,
      LAYERS.program,
      LAYERS.other,
      LAYERS.idle,
    ]);
    expect(rows.find((r) => r.layer === LAYERS.sql)!.pct).toBeCloseTo((100 * 4) / 28);
    expect(rows.find((r) => r.layer === LAYERS.idle)!.pct).toBeCloseTo((100 * 5) / 33);
    expect(rows.every((r) => r.perRequestMs === undefined)).toBe(true);
  });

  it('keeps to a time window and divides by the requests served in it', () => {
    // the first sample (module loading) is at startTime + 1 ms; the window starts after it
    const rows = profileLayers(FIXTURE, { window: { startUs: 1_001_500, endUs: 2_000_000 }, requests: 4 });
    expect(rows.find((r) => r.layer === LAYERS.startup)).toBeUndefined();
    expect(rows.find((r) => r.layer === LAYERS.sql)!.perRequestMs).toBeCloseTo(1);
    expect(rows.find((r) => r.layer === LAYERS.parse)!.perRequestMs).toBeCloseTo(1);
    expect(rows.find((r) => r.layer === LAYERS.idle)!.perRequestMs).toBeUndefined();
    expect(rows.find((r) => r.layer === LAYERS.http)!.pct).toBeCloseTo((100 * 3) / 27);
  });

  it('classifies frames of real profiles by package and by src path', () => {
    const layer = (...stack: [string, string][]) => layerOfStack(stack.map(([functionName, url]) => frameOf({ functionName, url })));
    expect(layer(['parse', '/repo/node_modules/pg-protocol/dist/parser.js'], ['x', 'file:///repo/dist/src/auth/authenticate.js'])).toBe(LAYERS.sql);
    expect(layer(['toScimUser', 'file:///repo/dist/src/scim/resources/user-mapper.js'])).toBe(LAYERS.mapping);
    expect(layer(['toProfile', 'file:///repo/dist/src/graphql/mappers.js'], ['users', 'file:///repo/dist/src/graphql/resolvers/user.resolver.js'])).toBe(LAYERS.mapping);
    expect(layer(['parseFilter', 'file:///repo/dist/src/scim/filter/parser.js'])).toBe(LAYERS.parse);
    expect(layer(['matchesFilter', 'file:///repo/dist/src/scim/filter/evaluate.js'])).toBe(LAYERS.mapping);
    expect(layer(['anonymous', ''], ['query', '/repo/node_modules/graphql-jit/dist/execution.js'])).toBe(LAYERS.graphql);
    expect(layer(['hn', '/repo/node_modules/@electric-sql/pglite/dist/chunk-2BOC2OMW.js'], ['query', '/repo/node_modules/@mikro-orm/pglite/index.js'])).toBe(LAYERS.pgliteJs);
    expect(layer(['flush', '/repo/node_modules/@mikro-orm/core/unit-of-work/UnitOfWork.js'])).toBe(LAYERS.sql);
    expect(layer(['writev', ''], ['_writeGeneric', 'node:net'], ['respond', '/repo/node_modules/koa/lib/application.js'])).toBe(LAYERS.http);
    // source files (tests, ts runners) count as their compiled form
    expect(layer(['check', '/repo/src/auth/authenticate.ts'])).toBe(LAYERS.auth);
    expect(layer(['processTicksAndRejections', 'node:internal/process/task_queues'])).toBe(LAYERS.other);
  });

  it('prints a table per marked scenario, with ms per request', () => {
    const text = layersReport(FIXTURE, 'embedded', false, [{ db: 'embedded', scenario: 'lookup', startUs: 1_001_500, endUs: 2_000_000, requests: 4 }]);
    expect(text).toContain('CPU by layer, lookup [embedded]');
    expect(text).toMatch(/SQL & driver\s+4\.0\s+14\.8%\s+1\.000/);
    expect(text).toContain('other, hottest leaves: leftPad left-pad/index.js 1.0 ms');
    const md = layersMarkdown('lookup', profileLayers(FIXTURE, { requests: 2 }));
    expect(md).toContain('| SQL & driver | 4.0 | 14.3 % | 2.000 |');
    expect(md).toContain('| idle | 5.0 | (15 % of the time) | – |');
  });
});

/** A profile of the given stacks (leaf first), each sampled `count` times, 1 ms apart, from t = 1 s. */
function profileOf(stacks: { frames: [string, string][]; count: number }[]): CpuProfile {
  const nodes: CpuProfile['nodes'] = [{ id: 1, callFrame: { functionName: '(root)', url: '' }, children: [] }];
  const samples: number[] = [];
  for (const { frames, count } of stacks) {
    let parent = nodes[0];
    for (const [functionName, url] of [...frames].reverse()) {
      const node = { id: nodes.length + 1, callFrame: { functionName, url }, children: [] as number[] };
      nodes.push(node);
      parent.children!.push(node.id);
      parent = node;
    }
    for (let i = 0; i < count; i++) samples.push(parent.id);
  }
  return { nodes, startTime: 1_000_000, endTime: 1_000_000 + samples.length * 1000, samples, timeDeltas: samples.map(() => 1000) };
}

describe('Roster beside the floor', () => {
  const koa: [string, string] = ['dispatch', '/repo/node_modules/koa-compose/index.js'];
  const pg: [string, string] = ['parse', '/repo/node_modules/pg-protocol/dist/parser.js'];
  const roster = profileOf([
    { frames: [koa], count: 6 },
    { frames: [pg], count: 8 },
    { frames: [['execute', '/repo/node_modules/graphql/execution/execute.js']], count: 4 },
    { frames: [['(idle)', '']], count: 2 },
  ]);
  const floor = profileOf([
    { frames: [koa], count: 3 },
    { frames: [pg], count: 4 },
    // the floor's own code, and JSON.parse (native) called from it
    { frames: [['handle', 'file:///repo/dist/bench/floor.js']], count: 1 },
    {
      frames: [
        ['parse', ''],
        ['readJson', 'file:///repo/dist/bench/floor.js'],
      ],
      count: 1,
    },
  ]);
  const span = (db: string, requests: number) => ({ db, scenario: 'lookup', startUs: 1_000_000, endUs: 1_100_000, requests });

  it("gives the floor's own code a layer of its own and the libraries it calls their usual layers", () => {
    expect(msOf(profileLayers(floor))).toEqual({ [LAYERS.http]: 3, [LAYERS.sql]: 4, [LAYERS.floorHandler]: 2 });
  });

  it('sets each layer of a scenario beside the same layer of the floor, per request, with the sum of the CPU', () => {
    const [part] = layersComparison(roster, floor, [span('postgres', 2)], [span('postgres floor', 1)]);
    expect(part.scenario).toBe('lookup');
    const by = Object.fromEntries(part.rows.map((r) => [r.layer, [r.roster, r.floor]]));
    expect(by).toEqual({
      [LAYERS.http]: [3, 3],
      [LAYERS.graphql]: [2, undefined],
      [LAYERS.sql]: [4, 4],
      [LAYERS.floorHandler]: [undefined, 2],
      'all CPU': [9, 9],
    });
    const text = comparisonText('postgres', [part]);
    expect(text).toContain('Roster beside the floor, lookup [postgres]');
    expect(text).toMatch(/GraphQL execution\s+2\.000\s+–\s+\+2\.000/);
    expect(comparisonText('postgres', [part], true)).toContain("| the floor's handler (its parsing, SQL parameters and answer) | – | 2.000 | -2.000 |");
  });

  it('leaves out a scenario the floor did not run or that counted no requests', () => {
    expect(layersComparison(roster, floor, [span('postgres', 2)], [{ ...span('postgres floor', 1), scenario: 'GraphQL lookup' }])).toEqual([]);
    expect(layersComparison(roster, floor, [{ ...span('postgres', 2), requests: undefined }], [span('postgres floor', 1)])).toEqual([]);
  });
});

describe('markScenario', () => {
  it('counts the requests of a scenario made of several measures (PATCH add and remove)', () => {
    markScenario('unit-db', 'PATCH members')({ big: { requests: 5, rps: 10 }, bigRemove: { requests: 3, rps: 10 } });
    markScenario('unit-db', 'probe')({ status: 200 });
    const [patch, probe] = markedSpans('unit-db');
    expect(patch).toMatchObject({ scenario: 'PATCH members', requests: 8 });
    expect(probe.requests).toBeUndefined();
  });
});
