import type { User } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { oidcSettings, resetEnvCache } from "@/lib/env";
import { admitSsoUser, oidcProvider, passwordSignInAllowed, refusePasswordSignIn } from "@/lib/auth/sso";
import { makeStaff } from "../support/factories";

const OIDC_ENV = {
  OIDC_ISSUER: "https://id.corp.example/realms/staff",
  OIDC_CLIENT_ID: "hubby-console",
  OIDC_CLIENT_SECRET: "client-secret",
  OIDC_ROLE_CLAIM: "groups",
  OIDC_ROLE_MAP: "admins=admin,cm=campaign_manager,agents=support",
  SSO_ONLY: "true",
  ADMIN_EMAIL: "break-glass@corp.example",
  ADMIN_PASSWORD: "break-glass-password-1",
};
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  for (const [name, value] of Object.entries(OIDC_ENV)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  resetEnvCache();
});

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
});

let counter = 0;
function identity(groups: unknown, extra: Record<string, unknown> = {}) {
  counter += 1;
  const sub = `sub-${Date.now()}-${counter}`;
  return {
    sub,
    email: `person-${counter}-${Date.now()}@corp.example`,
    email_verified: true,
    name: "Pat Person",
    groups,
    ...extra,
  };
}

/** What next-auth hands the signIn callback: the profile() result, which admitSsoUser turns into the staff member. */
function profileUser(claims: { sub: string; email?: unknown }): User {
  return { id: claims.sub, email: typeof claims.email === "string" ? claims.email : null };
}

describe("the OIDC provider configuration", () => {
  it("discovers the issuer, verifies the ID token and checks PKCE and state", () => {
    const provider = oidcProvider(oidcSettings()!);
    expect(provider).toMatchObject({
      id: "oidc",
      type: "oauth",
      wellKnown: "https://id.corp.example/realms/staff/.well-known/openid-configuration",
      issuer: "https://id.corp.example/realms/staff",
      idToken: true,
      checks: ["pkce", "state"],
      authorization: { params: { scope: "openid email profile" } },
    });
  });
});

describe("admitting a user the provider signed in", () => {
  it("creates the account on first sign-in with the mapped role, and applies a role change on the next", async () => {
    const claims = identity(["staff", "agents"]);
    const user = profileUser(claims);
    expect(await admitSsoUser(user, claims)).toBe(true);
    const created = await db().staffUser.findUniqueOrThrow({ where: { ssoSubject: claims.sub } });
    // Created by single sign-on: no password anyone knows, so the staff screen offers no reset link.
    expect(created).toMatchObject({
      email: claims.email,
      role: "support",
      name: "Pat Person",
      disabled: false,
      hasPassword: false,
    });
    expect(user).toMatchObject({ id: created.id, role: "support", sessionVersion: created.sessionVersion });
    const first = await db().auditEntry.findFirst({ where: { action: "auth.sign_in", actorId: created.id } });
    expect(first?.details).toMatchObject({ method: "sso", role: "support", created: true });

    const promoted = { ...claims, groups: ["cm", "agents"] };
    expect(await admitSsoUser(profileUser(promoted), promoted)).toBe(true);
    expect((await db().staffUser.findUniqueOrThrow({ where: { id: created.id } })).role).toBe("campaign_manager");
    const second = await db().auditEntry.findFirst({
      where: { action: "auth.sign_in", actorId: created.id },
      orderBy: { at: "desc" },
    });
    expect(second?.details).toMatchObject({ role: "campaign_manager", roleChangedFrom: "support" });
  });

  it("refuses a user with no mapped role, creates nothing and audits the groups it saw", async () => {
    const claims = identity(["staff", "Admins"]);
    expect(await admitSsoUser(profileUser(claims), claims)).toBe("/login/sso-refused?reason=no-role");
    expect(await db().staffUser.findUnique({ where: { email: claims.email } })).toBeNull();
    const entry = await db().auditEntry.findFirst({ where: { action: "auth.sso_refused", targetId: claims.email } });
    expect(entry).toMatchObject({
      result: "refused",
      details: { reason: "no-role", claimValues: ["staff", "Admins"] },
    });
  });

  it("links a password account of the same address, and refuses a second identity claiming it", async () => {
    const existing = await makeStaff("admin");
    const claims = identity(["agents"], { email: existing.email.toUpperCase() });
    expect(await admitSsoUser(profileUser(claims), claims)).toBe(true);
    expect(await db().staffUser.findUniqueOrThrow({ where: { id: existing.id } })).toMatchObject({
      ssoSubject: claims.sub,
      role: "support",
      // Its own password stays, and so does the reset link for it.
      hasPassword: true,
    });
    const impostor = identity(["admins"], { email: existing.email });
    expect(await admitSsoUser(profileUser(impostor), impostor)).toBe("/login/sso-refused?reason=linked-elsewhere");
    expect((await db().staffUser.findUniqueOrThrow({ where: { id: existing.id } })).role).toBe("support");
  });

  it("refuses a disabled account and an address the provider has not verified", async () => {
    const disabled = await makeStaff("support", { disabled: true });
    const claims = identity(["agents"], { email: disabled.email });
    expect(await admitSsoUser(profileUser(claims), claims)).toBe("/login/sso-refused?reason=disabled");
    expect((await db().staffUser.findUniqueOrThrow({ where: { id: disabled.id } })).ssoSubject).toBeNull();

    const unverified = identity(["admins"], { email_verified: false });
    expect(await admitSsoUser(profileUser(unverified), unverified)).toBe("/login/sso-refused?reason=no-email");
    const noEmail = identity(["admins"], { email: undefined });
    expect(await admitSsoUser(profileUser(noEmail), noEmail)).toBe("/login/sso-refused?reason=no-email");
    expect(await admitSsoUser(profileUser({ sub: "" }), { sub: "" })).toBe("/login/sso-refused?reason=no-email");
  });
});

describe("SSO_ONLY", () => {
  it("lets only the break-glass admin sign in with a password; everyone else is refused and counted", async () => {
    expect(passwordSignInAllowed("Break-Glass@corp.example ")).toBe(true);
    expect(passwordSignInAllowed("casey@corp.example")).toBe(false);
    expect(passwordSignInAllowed(undefined)).toBe(false);

    expect(await refusePasswordSignIn("Casey@corp.example", "10.3.3.3")).toBeNull();
    expect(await db().loginAttempt.count({ where: { email: "casey@corp.example", success: false } })).toBe(1);
    const entry = await db().auditEntry.findFirst({
      where: { action: "auth.sign_in_failed", targetId: "casey@corp.example" },
    });
    expect(entry?.details).toMatchObject({ reason: "sso_only", ip: "10.3.3.3" });
  });
});
