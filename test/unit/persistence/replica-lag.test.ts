import { describeUrl as replicaName } from '../../../src/persistence/connection-errors.js';
import { lagOf, parseLsn } from '../../../src/persistence/replicas.js';

/** How far a replica is behind, from the primary's WAL positions sampled over time and the replica's replay position. */
describe('replica lag', () => {
  test('WAL positions read as byte offsets', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('1/0')).toBe(1n << 32n);
    expect(parseLsn('16/B374D848') > parseLsn('16/B374D847')).toBe(true);
  });

  const samples = [
    { at: 1000, lsn: 100n },
    { at: 1500, lsn: 200n },
    { at: 2000, lsn: 300n },
  ];

  test('a replica that has replayed the newest sample is not behind', () => {
    expect(lagOf(samples, 300n, 2100)).toBe(0);
    expect(lagOf(samples, 999n, 2100)).toBe(0);
  });

  test('a replica behind the newest samples is behind since the last sample it had replayed, at most', () => {
    expect(lagOf(samples, 250n, 2100)).toBe(600); // has 200 (sampled at 1500), lacks 300
    expect(lagOf(samples, 100n, 2100)).toBe(1100); // has 100 (at 1000), lacks 200 and 300
  });

  test('a replica behind every sample is behind since before the oldest', () => {
    expect(lagOf(samples, 50n, 2100)).toBe(1600);
  });

  test('no samples yet: no evidence of lag', () => {
    expect(lagOf([], 0n, 5000)).toBe(0);
  });

  test('a replica is named by host, port and database, never its password', () => {
    expect(replicaName('postgres://roster:s3cret@replica-1.internal:5433/roster?sslmode=require')).toBe('replica-1.internal:5433/roster');
    expect(replicaName('postgresql://db/roster')).toBe('db:5432/roster');
  });
});
