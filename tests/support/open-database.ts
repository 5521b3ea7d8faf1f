// Run by tests/integration/db-lock.test.ts as a second process opening the same PGlite directory.
import { getDatabase } from "../../lib/db";

async function main() {
  try {
    await getDatabase().sql.query("SELECT 1");
    console.log("OPENED");
    process.exit(0);
  } catch (error) {
    console.log(`${(error as Error).name}: ${(error as Error).message}`);
    process.exit(3);
  }
}

void main();
