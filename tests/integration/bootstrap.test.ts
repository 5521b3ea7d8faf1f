import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { verifyPassword } from "@/lib/auth/password";
import { DEMO_STAFF } from "@/lib/auth/demo";
import { bootstrapStaff } from "@/lib/staff/bootstrap";
import { authorizeCredentials } from "@/lib/auth/options";

function withEnv(values: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
}

afterEach(async () => {
  withEnv({
    ADMIN_EMAIL: undefined,
    ADMIN_PASSWORD: undefined,
    HUBBY_API_BASE_URL: undefined,
    HUBBY_API_KEY: undefined,
    HUBBY_API_SECRET: undefined,
  });
  await db().staffUser.deleteMany();
});

describe("bootstrapStaff", () => {
  it("seeds one demo user per role on a fresh database with the sandbox, and reports their credentials", async () => {
    const report = await bootstrapStaff();
    expect(report.demoSeeded).toBe(true);
    expect(report.demoCredentials.map((c) => c.role).sort()).toEqual(["admin", "campaign_manager", "support"]);
    const again = await bootstrapStaff();
    expect(again.demoSeeded).toBe(false);
    expect(await db().staffUser.count()).toBe(3);
  });

  it("stops printing a demo password once it was changed", async () => {
    await bootstrapStaff();
    await db().staffUser.update({ where: { email: DEMO_STAFF[0]!.email }, data: { passwordHash: "changed" } });
    const report = await bootstrapStaff();
    expect(report.demoCredentials.map((c) => c.email)).not.toContain(DEMO_STAFF[0]!.email);
  });

  it("never seeds demo staff when real Hubby credentials are configured", async () => {
    withEnv({ HUBBY_API_BASE_URL: "https://api-staging.hubby.dev/api", HUBBY_API_KEY: "pk", HUBBY_API_SECRET: "sk" });
    const report = await bootstrapStaff();
    expect(report).toMatchObject({ demoSeeded: false, demoCredentials: [] });
    expect(await db().staffUser.count()).toBe(0);
  });

  it("creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD, then updates it when the password changes", async () => {
    withEnv({ ADMIN_EMAIL: "Boss@Example.test", ADMIN_PASSWORD: "first-admin-password" });
    expect((await bootstrapStaff()).admin).toEqual({ email: "boss@example.test", created: true, updated: false });
    expect(await db().staffUser.count()).toBe(1);

    await db().staffUser.update({ where: { email: "boss@example.test" }, data: { disabled: true, role: "support" } });
    withEnv({ ADMIN_PASSWORD: "second-admin-password" });
    expect((await bootstrapStaff()).admin).toMatchObject({ updated: true });
    const admin = await db().staffUser.findUniqueOrThrow({ where: { email: "boss@example.test" } });
    expect(admin).toMatchObject({ role: "admin", disabled: false, sessionVersion: 2 });
    expect(await verifyPassword(admin.passwordHash, "second-admin-password")).toBe(true);
    expect((await bootstrapStaff()).admin).toMatchObject({ created: false, updated: false });
  });
});

describe("bootstrap run by several instances at once", () => {
  it("creates the ADMIN_EMAIL admin once and the demo staff once, whichever instance comes first", async () => {
    const reports = await Promise.all([bootstrapStaff(), bootstrapStaff(), bootstrapStaff()]);
    expect(reports.filter((report) => report.demoSeeded)).toHaveLength(1);
    expect(await db().staffUser.count()).toBe(3);

    await db().staffUser.deleteMany();
    withEnv({ ADMIN_EMAIL: "boss@example.test", ADMIN_PASSWORD: "a-long-admin-password" });
    const withAdmin = await Promise.all([bootstrapStaff(), bootstrapStaff(), bootstrapStaff()]);
    expect(withAdmin.map((report) => report.admin?.created).sort()).toEqual([false, false, true]);
    expect(await db().staffUser.count({ where: { email: "boss@example.test" } })).toBe(1);
  });
});

describe("demo staff outside the built-in sandbox", () => {
  const production = {
    HUBBY_API_BASE_URL: "https://api.hubbyesim.com/api",
    HUBBY_API_KEY: "pk_live",
    HUBBY_API_SECRET: "sk_live",
    ADMIN_EMAIL: "boss@example.test",
    ADMIN_PASSWORD: "a-long-admin-password",
  };

  it("disables demo staff seeded in sandbox mode at the first start with real Hubby, and reports them", async () => {
    await bootstrapStaff();
    withEnv(production);
    const report = await bootstrapStaff();
    expect(report.demoDisabled.sort()).toEqual(DEMO_STAFF.map((d) => d.email).sort());
    expect(report.demoCredentials).toEqual([]);
    const demo = await db().staffUser.findMany({ where: { email: { in: DEMO_STAFF.map((d) => d.email) } } });
    expect(demo.every((user) => user.disabled && user.sessionVersion === 2)).toBe(true);
    // The next start still says so, and leaves the session version alone.
    expect((await bootstrapStaff()).demoDisabled).toHaveLength(3);
    const again = await db().staffUser.findUniqueOrThrow({ where: { email: DEMO_STAFF[0]!.email } });
    expect(again.sessionVersion).toBe(2);
  });

  it("refuses a demo sign-in outside the sandbox even when an admin re-enabled the account", async () => {
    await bootstrapStaff();
    withEnv(production);
    await bootstrapStaff();
    await db().staffUser.update({ where: { email: DEMO_STAFF[0]!.email }, data: { disabled: false } });
    expect(
      await authorizeCredentials({ email: DEMO_STAFF[0]!.email, password: DEMO_STAFF[0]!.password }, "10.0.0.1"),
    ).toBeNull();
    const entry = await db().auditEntry.findFirst({
      where: { action: "auth.sign_in_failed" },
      orderBy: { at: "desc" },
    });
    expect(entry?.details).toMatchObject({ reason: "demo_account_outside_sandbox" });
    // The configured admin signs in as usual.
    expect(
      await authorizeCredentials({ email: "boss@example.test", password: "a-long-admin-password" }, "10.0.0.1"),
    ).toMatchObject({ role: "admin" });
  });

  it("lets demo staff sign in on the sandbox", async () => {
    await bootstrapStaff();
    expect(
      await authorizeCredentials({ email: DEMO_STAFF[2]!.email, password: DEMO_STAFF[2]!.password }, "10.0.0.2"),
    ).toMatchObject({ role: "support" });
  });
});
