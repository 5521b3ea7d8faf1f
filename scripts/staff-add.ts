import { parseArgs } from "node:util";
import readline from "node:readline";
import { z } from "zod";
import { closeDatabase, getDatabase } from "../lib/db";
import { migrate } from "../lib/migrations";
import { createStaffSchema } from "../lib/staff/schemas";
import { hashPassword } from "../lib/auth/password";
import { audit } from "../lib/audit/audit";
import { fail, loadProjectEnv, validateEnvOrExit } from "./lib";

// npm run staff:add -- --email a@b.c --name "A B" --role support   (password: prompted, or read from stdin)

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide typed characters: echo nothing after the prompt.
  const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let prompted = false;
  output._writeToOutput = (s: string) => {
    if (!prompted) {
      output.output.write(s);
      prompted = true;
    }
  };
  const answer = await new Promise<string>((resolve) => rl.question("Password: ", resolve));
  rl.close();
  process.stdout.write("\n");
  return answer;
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" } },
  });
  loadProjectEnv(true);
  validateEnvOrExit();
  const password = await readPassword();
  const parsed = createStaffSchema.safeParse({ ...values, password });
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    throw new Error(
      "Cannot add staff:\n" +
        Object.entries(errors)
          .map(([k, v]) => `  --${k}: ${v.join(" ")}`)
          .join("\n") +
        "\nUsage: npm run staff:add -- --email <email> --name <name> --role admin|campaign_manager|support",
    );
  }
  try {
    const database = getDatabase();
    await migrate(database);
    const existing = await database.prisma.staffUser.findUnique({ where: { email: parsed.data.email } });
    if (existing) throw new Error(`A staff member with email ${parsed.data.email} already exists.`);
    await database.prisma.staffUser.create({
      data: {
        email: parsed.data.email,
        name: parsed.data.name,
        role: parsed.data.role,
        passwordHash: await hashPassword(parsed.data.password),
      },
    });
    await audit({
      action: "staff.create",
      targetType: "staff",
      targetId: parsed.data.email,
      result: "ok",
      details: { via: "npm run staff:add", role: parsed.data.role },
    });
    console.log(`Added ${parsed.data.role} ${parsed.data.email}.`);
  } finally {
    await closeDatabase();
  }
}

main().catch(fail);
