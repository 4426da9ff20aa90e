import { mergeMeasures, type Measure } from '../../../bench/scenarios.js';

/**
 * The bench measures Roster and the floor side by side in alternating blocks; mergeMeasures makes
 * one figure of a server's blocks. A wrong merge would put any ratio off without anything failing.
 */
describe('mergeMeasures', () => {
  it('sequential blocks: throughput is all requests over all time, percentiles exact from the samples', () => {
    const a: Measure = { rps: 1000 / 1.5, p50: 1.5, p99: 2, requests: 4, failures: 0, cpuMs: 1, samples: [1, 1, 2, 2], extra: { rounds: 4, bodyBytes: 100 } };
    const b: Measure = { rps: 1000 / 3, p50: 3, p99: 3, requests: 2, failures: 1, cpuMs: 4, samples: [3, 3], extra: { rounds: 2, bodyBytes: 100 } };
    const m = mergeMeasures([a, b]);
    expect(m.requests).toBe(6);
    // 4 requests in 6 ms and 2 in 6 ms: 6 requests in 12 ms
    expect(m.rps).toBeCloseTo(500, 6);
    expect(m.samples).toEqual([1, 1, 2, 2, 3, 3]);
    expect(m.p50).toBe(2);
    expect(m.p99).toBe(3);
    expect(m.failures).toBe(1);
    expect(m.cpuMs).toBeCloseTo((1 * 4 + 4 * 2) / 6, 9);
    // a count is summed, a per-request figure weighted by requests
    expect(m.extra).toEqual({ rounds: 6, bodyBytes: 100 });
  });

  it('closed-loop blocks (no samples): percentiles and CPU weighted by requests, statuses summed', () => {
    const a: Measure = { rps: 1000, p50: 1, p99: 4, requests: 2000, failures: 0, cpuMs: 0.2, statuses: { 'lookup 200': 1500, 'put 200': 500 } };
    const b: Measure = { rps: 500, p50: 4, p99: 10, requests: 1000, failures: 0, cpuMs: 0.5, statuses: { 'lookup 200': 700, 'put 409': 300 } };
    const m = mergeMeasures([a, b]);
    // 2000 requests in 2 s and 1000 in 2 s
    expect(m.rps).toBeCloseTo(750, 6);
    expect(m.p50).toBeCloseTo(2, 9);
    expect(m.p99).toBeCloseTo(6, 9);
    expect(m.cpuMs).toBeCloseTo(0.3, 9);
    expect(m.samples).toBeUndefined();
    expect(m.statuses).toEqual({ 'lookup 200': 2200, 'put 200': 500, 'put 409': 300 });
  });

  it('leaves CPU out when a block could not measure it', () => {
    const m = mergeMeasures([
      { rps: 10, p50: 1, p99: 1, requests: 10, failures: 0, cpuMs: 1 },
      { rps: 10, p50: 1, p99: 1, requests: 10, failures: 0 },
    ]);
    expect(m.cpuMs).toBeUndefined();
  });
});
