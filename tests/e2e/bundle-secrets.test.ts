import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { E2E_URL } from "./support";

// The Hubby secret and the client that uses it live on the server only. This reads every file the browser
// can download from the production build this run serves, and looks for the secret and for strings that only
// the Hubby client and the sandbox contain.
const staticDir = path.join(process.cwd(), ".next", "static");

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe("browser bundles", () => {
  it("contain neither the Hubby secret nor the Hubby client or sandbox code", async () => {
    expect(E2E_URL).not.toBe("");
    const files = filesUnder(staticDir).filter((file) => /\.(js|css|json|txt|map)$/.test(file));
    expect(files.length).toBeGreaterThan(5);
    const forbidden = [
      SANDBOX_CREDENTIALS.apiSecret,
      SANDBOX_CREDENTIALS.webhookApiKey,
      "x-signature",
      "x-timestamp",
      "Hubby did not answer in time",
      "hubby-partner-console/",
      "Hubby-Webhooks-Sandbox",
      "smdp.sandbox.hubby.test",
    ];
    const found: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      for (const needle of forbidden)
        if (text.includes(needle)) found.push(`${path.relative(staticDir, file)}: ${needle}`);
    }
    expect(found).toEqual([]);
  });
});
