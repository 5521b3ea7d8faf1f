import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The import boundaries of eslint.config.mjs, run through ESLint itself on small snippets at real paths: each
// reverse import must be reported, and the legal ones beside them must not be.
const root = path.resolve(import.meta.dirname, "..");
const RULE = "import/no-restricted-paths";

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function boundaryMessages(file: string, importPath: string, how: "import" | "other" = "import") {
  const code =
    how === "import"
      ? `import * as imported from "${importPath}";\n\nexport const used = imported;\n`
      : `export type { Sandbox } from "${importPath}";\n\nexport const later = () => import("${importPath}");\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((message) => message.ruleId === RULE).map((message) => message.message);
}

describe("import boundaries (eslint.config.mjs)", () => {
  it.each([
    ["the base layer importing a domain", "lib/hubby/example.ts", "../travelers/queries", "base layer"],
    ["lib/env.ts importing the role matrix", "lib/env.ts", "./auth/roles", "base layer"],
    [
      "a domain importing the action runner",
      "lib/bookings/example.ts",
      "@/lib/actions",
      "lib/bookings may import only",
    ],
    ["a domain importing app code", "lib/travelers/example.ts", "@/app/(console)/travelers/page", "lib/travelers"],
    [
      "a domain importing one after it (catalog → bookings)",
      "lib/catalog/example.ts",
      "../bookings/quote",
      "domainOrder",
    ],
    [
      "a domain importing one after it (instructions → travelers)",
      "lib/instructions/x.ts",
      "../travelers/timeline",
      "domainOrder",
    ],
    ["a page importing the sandbox", "app/(console)/travelers/page.tsx", "@/lib/hubby-sandbox/sandbox", "sandbox"],
    ["a domain importing the sandbox", "lib/bookings/example.ts", "../hubby-sandbox/destinations", "sandbox"],
    ["a component importing the sandbox", "components/example.tsx", "@/lib/hubby-sandbox/world", "sandbox"],
  ])("reports %s", async (_, file, importPath, said) => {
    const messages = await boundaryMessages(file, importPath);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(said);
  });

  it("reports a re-export and a dynamic import as well", async () => {
    const messages = await boundaryMessages("lib/bookings/example.ts", "../hubby-sandbox/sandbox", "other");
    expect(messages).toHaveLength(2);
  });

  it.each([
    ["a page importing a domain and the Hubby client", "app/(console)/travelers/page.tsx", "@/lib/hubby/index"],
    [
      "a domain importing one before it (travelers → instructions)",
      "lib/travelers/example.ts",
      "../instructions/schemas",
    ],
    ["a domain importing the base", "lib/bookings/example.ts", "../hubby/sizes"],
    ["a domain importing the database client", "lib/campaigns/example.ts", "@/lib/db"],
    ["the action runner importing a domain", "lib/actions.ts", "./audit/audit"],
    ["the sandbox importing the Hubby schemas", "lib/hubby-sandbox/example.ts", "../hubby/schemas"],
    ["a script starting the sandbox", "scripts/example.ts", "../lib/hubby-sandbox/sandbox"],
    ["a test using the sandbox", "tests/support/example.ts", "@/lib/hubby-sandbox/sandbox"],
    [
      "a unit test beside a domain using the sandbox's catalogue",
      "lib/bookings/x.test.ts",
      "../hubby-sandbox/destinations",
    ],
  ])("allows %s", async (_, file, importPath) => {
    expect(await boundaryMessages(file, importPath)).toEqual([]);
  });
}, 120_000);
