import { beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { authorizeCredentials, THROTTLED_ERROR } from "@/lib/auth/options";
import { getCurrentStaff, requirePermission, requireStaff } from "@/lib/auth/staff";
import { THROTTLE_MAX_FAILURES } from "@/lib/auth/throttle";
import { makeStaff, TEST_PASSWORD } from "../support/factories";
import { setSession } from "../support/session";

let ipCounter = 0;
const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

describe("sign-in (credentials provider)", () => {
  beforeEach(() => setSession(null));

  it("signs in with the right password, records lastLoginAt and audits it", async () => {
    const user = await makeStaff("support");
    const result = await authorizeCredentials({ email: user.email.toUpperCase(), password: TEST_PASSWORD }, freshIp());
    expect(result).toMatchObject({ id: user.id, role: "support", sessionVersion: 1 });
    const stored = await db().staffUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.lastLoginAt).not.toBeNull();
    const entry = await db().auditEntry.findFirst({ where: { action: "auth.sign_in", actorId: user.id } });
    expect(entry?.result).toBe("ok");
  });

  it("answers a wrong password, an unknown email and a disabled user the same way, and audits each", async () => {
    const user = await makeStaff("support");
    const disabled = await makeStaff("admin", { disabled: true });
    expect(await authorizeCredentials({ email: user.email, password: "wrong-password-1" }, freshIp())).toBeNull();
    expect(await authorizeCredentials({ email: "nobody@example.test", password: TEST_PASSWORD }, freshIp())).toBeNull();
    expect(await authorizeCredentials({ email: disabled.email, password: TEST_PASSWORD }, freshIp())).toBeNull();
    expect(await authorizeCredentials({ email: "", password: "" }, freshIp())).toBeNull();
    const failures = await db().auditEntry.findMany({ where: { action: "auth.sign_in_failed" } });
    expect(failures.map((f) => (f.details as { reason: string }).reason).sort()).toEqual(
      expect.arrayContaining(["disabled", "unknown_email", "wrong_password"]),
    );
  });

  it("throttles an account after 5 failures in 15 minutes, whatever the IP, even with the right password", async () => {
    const user = await makeStaff("campaign_manager");
    for (let i = 0; i < THROTTLE_MAX_FAILURES; i++) {
      expect(await authorizeCredentials({ email: user.email, password: `wrong-${i}-password` }, freshIp())).toBeNull();
    }
    await expect(authorizeCredentials({ email: user.email, password: TEST_PASSWORD }, freshIp())).rejects.toThrow(
      THROTTLED_ERROR,
    );
    const throttled = await db().auditEntry.findFirst({ where: { action: "auth.throttled", targetId: user.email } });
    expect(throttled?.result).toBe("refused");
  });

  it("throttles an IP after 5 failures across accounts", async () => {
    const ip = freshIp();
    for (let i = 0; i < THROTTLE_MAX_FAILURES; i++) {
      await authorizeCredentials({ email: `guess-${i}@example.test`, password: "wrong-password" }, ip);
    }
    const user = await makeStaff("support");
    await expect(authorizeCredentials({ email: user.email, password: TEST_PASSWORD }, ip)).rejects.toThrow(
      THROTTLED_ERROR,
    );
    expect(await authorizeCredentials({ email: user.email, password: TEST_PASSWORD }, freshIp())).not.toBeNull();
  });

  it("forgets failures older than 15 minutes", async () => {
    const user = await makeStaff("support");
    const old = new Date(Date.now() - 16 * 60 * 1000);
    await db().loginAttempt.createMany({
      data: Array.from({ length: 6 }, () => ({ email: user.email, ip: "10.9.9.9", success: false, at: old })),
    });
    expect(await authorizeCredentials({ email: user.email, password: TEST_PASSWORD }, freshIp())).not.toBeNull();
  });
});

describe("session re-check on every request", () => {
  it("accepts a session whose user is enabled and whose sessionVersion matches", async () => {
    const user = await makeStaff("admin");
    setSession(user);
    expect(await getCurrentStaff()).toMatchObject({ id: user.id, role: "admin" });
  });

  it("ends the session of a disabled user or after a sessionVersion bump", async () => {
    const user = await makeStaff("support");
    setSession(user);
    await db().staffUser.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    expect(await getCurrentStaff()).toBeNull();
    await expect(requireStaff()).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/login/) });

    const other = await makeStaff("support");
    setSession(other);
    await db().staffUser.update({ where: { id: other.id }, data: { disabled: true } });
    expect(await getCurrentStaff()).toBeNull();
  });

  it("applies a role change on the next request", async () => {
    const user = await makeStaff("admin");
    setSession(user);
    await expect(requirePermission("staff.manage")).resolves.toMatchObject({ id: user.id });
    await db().staffUser.update({ where: { id: user.id }, data: { role: "support" } });
    await expect(requirePermission("staff.manage")).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;403" });
  });

  it("redirects a signed-out request to /login", async () => {
    setSession(null);
    await expect(requireStaff()).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) });
  });
});

describe("next-auth's logging", () => {
  it("logs a forged session cookie's error as one line without a stack", async () => {
    const { getAuthOptions } = await import("@/lib/auth/options");
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    try {
      const error = new Error("Invalid Compact JWE");
      getAuthOptions().logger!.error!("JWT_SESSION_ERROR", { error, message: error.message } as never);
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual(["[auth] JWT_SESSION_ERROR: Error: Invalid Compact JWE"]);
  });
});
