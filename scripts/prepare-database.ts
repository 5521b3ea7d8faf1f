import { closeDatabase, databaseLabel, getDatabase } from "../lib/db";
import { log } from "../lib/log";
import { migrate } from "../lib/migrations";
import { bootstrapStaff, type BootstrapReport } from "../lib/staff/bootstrap";
import { ensureWebhookPartitions, PARTITION_MONTHS_AHEAD } from "../lib/webhooks/partitions";

/**
 * Migrate, create the coming months' webhook partitions (a start after a long stop may find the current month
 * missing; docs/decisions/0063), then bootstrap staff. A script closes the database afterwards (`close`, the default); the console's server
 * (scripts/server.ts) prepares in its own process and keeps it open for Next.js (PGlite is one process's).
 */
export async function prepareDatabase(options: {
  bootstrap: boolean;
  close?: boolean;
}): Promise<BootstrapReport | undefined> {
  let prepared = false;
  try {
    const database = getDatabase();
    const applied = await migrate(database);
    log("start").info(
      { database: databaseLabel(), applied },
      applied.length
        ? `Database ${databaseLabel()}: applied ${applied.length} migration(s): ${applied.join(", ")}`
        : `Database ${databaseLabel()}: up to date`,
    );
    const partitions = await ensureWebhookPartitions(new Date(), PARTITION_MONTHS_AHEAD);
    if (partitions.length) log("start").info({ partitions }, `Created webhook partitions: ${partitions.join(", ")}`);
    const report = options.bootstrap ? await bootstrapStaff() : undefined;
    prepared = true;
    return report;
  } finally {
    // A failed preparation always closes: the process is about to stop, and PGlite checkpoints on close.
    if (options.close !== false || !prepared) await closeDatabase();
  }
}

export function printBootstrapReport(report: BootstrapReport | undefined) {
  if (!report) return;
  const logger = log("start");
  if (report.admin?.created) logger.info(`Created admin ${report.admin.email} from ADMIN_EMAIL.`);
  if (report.admin?.updated) logger.info(`Updated admin ${report.admin.email} from ADMIN_EMAIL / ADMIN_PASSWORD.`);
  if (report.demoDisabled.length) {
    logger.warn(
      `Demo staff disabled (not on the built-in Hubby sandbox, or ADMIN_EMAIL is set): ${report.demoDisabled.join(", ")}. ` +
        "They cannot sign in while the console runs against a real Hubby.",
    );
  }
  // The demo staff's published passwords, for the person at the terminal (built-in sandbox only): not log lines.
  if (report.demoCredentials.length) {
    const width = Math.max(...report.demoCredentials.map((c) => c.email.length));
    console.log(`\n  Demo staff (built-in Hubby sandbox only${report.demoSeeded ? ", just created" : ""}):`);
    for (const c of report.demoCredentials) {
      console.log(`    ${c.email.padEnd(width)}  password: ${c.password.padEnd(20)} role: ${c.role}`);
    }
    console.log("");
  }
}
