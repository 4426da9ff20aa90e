import { randomBytes } from 'node:crypto';

/**
 * Names this run, so that the migrated template the test files clone (made once, by the first file
 * that needs it: test/support/db.ts) is this run's own and is removed at the end.
 */
export default function globalSetup(): void {
  process.env.ROSTER_TEST_RUN = `${process.pid}_${randomBytes(3).toString('hex')}`;
}
