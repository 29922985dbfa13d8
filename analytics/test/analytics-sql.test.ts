import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runAnalyticsJUnit } from '../../platform/analytics-junit.ts';
import { startFakeGcs } from '../../platform/fake-gcs.ts';
import { hasGo } from '../../platform/go-tools.ts';
import { freePort } from '../../e2e/analytics/job-results.ts';

// The job's SQL under JUnit (analytics/src/test): one bounded run, its storage on gs:// (fake-gcs-server) when Go is here.
test(
  'the analytics SQL passes its JUnit cases, writing checkpoints, results and the lake to gs://',
  { timeout: 600_000 },
  async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emporium-gcs-'));
    const gcs = (await hasGo()) ? await startFakeGcs({ port: await freePort(), dataDir: dir }) : undefined;
    try {
      await gcs?.createBucket('emporium-analytics-test');
      const env: Record<string, string> = gcs
        ? { EMPORIUM_TEST_GCS_URL: gcs.url, EMPORIUM_TEST_GCS_BUCKET: 'emporium-analytics-test' }
        : {};
      const { code, output, succeeded, failed } = await runAnalyticsJUnit(env);
      assert.equal(code, 0, output.slice(-6000));
      assert.equal(failed, 0, output.slice(-6000));
      assert.ok(succeeded >= 11, `JUnit ran its cases: ${succeeded} passed`);
      if (gcs) {
        const listing = await fetch(`${gcs.url}/storage/v1/b/emporium-analytics-test/o?prefix=sql-test/results/`);
        const objects = ((await listing.json()) as { items?: { name: string }[] }).items ?? [];
        assert.ok(
          objects.some((o) => o.name.includes('dt=2025-03-01/hr=10/')),
          'results partitioned by date and hour on gs://',
        );
      }
    } finally {
      await gcs?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
