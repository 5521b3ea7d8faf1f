import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { verifyPassword } from "@/lib/auth/password";
import { bootstrapStaff, DEMO_STAFF } from "@/lib/staff/bootstrap";

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
