import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** Drops the run's template database and image (see test/support/db.ts). */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.ROSTER_TEST_RUN;
  if (!run) return;
  await rm(path.join(os.tmpdir(), `roster-test-image-${run}.tar`), { force: true });
  await rm(path.join(os.tmpdir(), `roster-test-image-${run}.lock`), { force: true, recursive: true });
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`drop database if exists roster_tpl_${run} with (force)`);
  } finally {
    await admin.end();
  }
}
