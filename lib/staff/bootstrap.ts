import "server-only";
import { db, getDatabase } from "../db";
import { getEnv } from "../env";
import { hashPassword, verifyPassword } from "../auth/password";
import type { StaffRole } from "../auth/roles";
import { DEMO_STAFF, demoStaffAllowed, isDemoStaffEmail } from "../auth/demo";

export type BootstrapReport = {
  admin?: { email: string; created: boolean; updated: boolean };
  demoSeeded: boolean;
  /** Demo accounts present but disabled (at this start or before): the console is not on the built-in sandbox. */
  demoDisabled: string[];
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

/**
 * Start-up runs this in every instance, and a deployment starts its replicas together: the whole bootstrap holds
 * one PostgreSQL advisory lock (in one process, PGlite's queue), so the instances take turns and each later one
 * finds the work done. Without it two fresh instances both created the ADMIN_EMAIL admin and one crashed on the
 * unique email (issue 25). Demo staff are inserted with skipDuplicates as well: a second line of defence that
 * costs nothing.
 */
const BOOTSTRAP_LOCK_KEY = 72_410_002;

export async function bootstrapStaff(): Promise<BootstrapReport> {
  return getDatabase().withExclusiveLock(BOOTSTRAP_LOCK_KEY, () => bootstrapStaffHoldingLock());
}

async function bootstrapStaffHoldingLock(): Promise<BootstrapReport> {
  const env = getEnv();
  const admin = await ensureConfiguredAdmin();
  const demoAllowed = demoStaffAllowed(env);
  const demoDisabled = demoAllowed ? [] : await disableDemoStaff();
  let demoSeeded = false;
  if (demoAllowed && (await db().staffUser.count()) === 0) {
    const data = [];
    for (const demo of DEMO_STAFF) {
      data.push({
        email: demo.email,
        name: demo.name,
        role: demo.role,
        passwordHash: await hashPassword(demo.password),
      });
    }
    demoSeeded = (await db().staffUser.createMany({ data, skipDuplicates: true })).count > 0;
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
  return { admin, demoSeeded, demoDisabled, demoCredentials };
}

/**
 * Outside the sandbox, demo accounts (published passwords) are disabled and their sessions ended. An admin may
 * re-enable one, but sign-in still refuses it (lib/auth/options.ts) while the console is not on the sandbox.
 */
async function disableDemoStaff(): Promise<string[]> {
  const demo = (
    await db().staffUser.findMany({
      where: { email: { endsWith: "@demo.hubby.test" } },
      select: { id: true, email: true, disabled: true },
    })
  ).filter((user) => isDemoStaffEmail(user.email));
  const enabled = demo.filter((user) => !user.disabled).map((user) => user.id);
  if (enabled.length) {
    await db().staffUser.updateMany({
      where: { id: { in: enabled } },
      data: { disabled: true, sessionVersion: { increment: 1 } },
    });
  }
  return demo.map((user) => user.email);
}
