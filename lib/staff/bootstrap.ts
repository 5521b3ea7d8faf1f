import "server-only";
import { db } from "../db";
import { getEnv, usesBuiltInSandbox } from "../env";
import { hashPassword, verifyPassword } from "../auth/password";
import type { StaffRole } from "../auth/roles";

/** Demo accounts, seeded only on a fresh database while the built-in sandbox stands in for Hubby. */
export const DEMO_STAFF: readonly { email: string; name: string; role: StaffRole; password: string }[] = [
  { email: "admin@demo.hubby.test", name: "Ada Admin", role: "admin", password: "demo-admin-pass" },
  {
    email: "campaigns@demo.hubby.test",
    name: "Carl Campaigns",
    role: "campaign_manager",
    password: "demo-campaigns-pass",
  },
  { email: "support@demo.hubby.test", name: "Sam Support", role: "support", password: "demo-support-pass" },
];

export type BootstrapReport = {
  admin?: { email: string; created: boolean; updated: boolean };
  demoSeeded: boolean;
  /** Demo accounts that still exist with their published password, to print in the terminal. */
  demoCredentials: { email: string; password: string; role: StaffRole }[];
};

/** ADMIN_EMAIL + ADMIN_PASSWORD create or update an enabled admin. */
async function ensureConfiguredAdmin(): Promise<BootstrapReport["admin"]> {
  const env = getEnv();
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return undefined;
  const email = env.ADMIN_EMAIL.trim().toLowerCase();
  const existing = await db().staffUser.findUnique({ where: { email } });
  if (!existing) {
    await db().staffUser.create({
      data: { email, name: env.ADMIN_NAME, role: "admin", passwordHash: await hashPassword(env.ADMIN_PASSWORD) },
    });
    return { email, created: true, updated: false };
  }
  const passwordMatches = await verifyPassword(existing.passwordHash, env.ADMIN_PASSWORD);
  if (passwordMatches && existing.role === "admin" && !existing.disabled)
    return { email, created: false, updated: false };
  await db().staffUser.update({
    where: { email },
    data: {
      role: "admin",
      disabled: false,
      ...(passwordMatches
        ? {}
        : { passwordHash: await hashPassword(env.ADMIN_PASSWORD), sessionVersion: { increment: 1 } }),
    },
  });
  return { email, created: false, updated: true };
}

export async function bootstrapStaff(): Promise<BootstrapReport> {
  const env = getEnv();
  const admin = await ensureConfiguredAdmin();
  const demoAllowed = usesBuiltInSandbox(env) && !env.ADMIN_EMAIL;
  let demoSeeded = false;
  if (demoAllowed && (await db().staffUser.count()) === 0) {
    for (const demo of DEMO_STAFF) {
      await db().staffUser.create({
        data: { email: demo.email, name: demo.name, role: demo.role, passwordHash: await hashPassword(demo.password) },
      });
    }
    demoSeeded = true;
  }
  const demoCredentials: BootstrapReport["demoCredentials"] = [];
  if (demoAllowed) {
    const existing = await db().staffUser.findMany({
      where: { email: { in: DEMO_STAFF.map((d) => d.email) }, disabled: false },
      select: { email: true, passwordHash: true, role: true },
    });
    for (const demo of DEMO_STAFF) {
      const row = existing.find((e) => e.email === demo.email);
      if (row && (await verifyPassword(row.passwordHash, demo.password))) {
        demoCredentials.push({ email: demo.email, password: demo.password, role: row.role });
      }
    }
  }
  return { admin, demoSeeded, demoCredentials };
}
