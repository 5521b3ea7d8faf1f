import { beforeEach } from "vitest";

// Set-up file of the e2e project (vitest.config.mts). With E2E_RETRY=1 (CI) a failed test runs once more; vitest's
// JSON report (4.1) has no retry count, but it keeps each test's meta, so the attempt is recorded there:
// scripts/test-all.ts names every test that passed with `attempt > 1` as flaky (decision 0052).

declare module "vitest" {
  interface TaskMeta {
    /** 1 on the first run of a test, 2 on its retry. */
    attempt?: number;
  }
}

beforeEach(({ task }) => {
  task.meta.attempt = (task.result?.retryCount ?? 0) + 1;
});
