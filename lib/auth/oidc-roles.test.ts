import { describe, expect, it } from "vitest";
import { parseEnv, parseRoleMap } from "../env";
import { claimValues, roleFromClaims } from "./oidc-roles";
import { staffRoles } from "./roles";

const map = parseRoleMap("admins=admin,cm=campaign_manager,agents=support");
if (typeof map === "string") throw new Error(map);

describe("OIDC_ROLE_MAP", () => {
  it("reads value=role pairs, splitting at the last '='", () => {
    expect(parseRoleMap(" admins = admin , uid=support=support ")).toEqual([
      { value: "admins", role: "admin" },
      { value: "uid=support", role: "support" },
    ]);
  });

  it("names what is wrong with a map", () => {
    expect(parseRoleMap("admins=root")).toMatch(
      /"admins" to "root", which is not one of admin, campaign_manager, support/,
    );
    expect(parseRoleMap("admins")).toMatch(/"admins", which is not "claim value=role"/);
    expect(parseRoleMap(" , ")).toMatch(/at least one/);
  });

  it("accepts every role of the role matrix", () => {
    expect(parseRoleMap(staffRoles.map((role) => `g-${role}=${role}`).join(","))).toHaveLength(staffRoles.length);
  });

  it("is validated at start-up, with the OIDC settings it needs", () => {
    const oidc = {
      OIDC_ISSUER: "https://id.example.com",
      OIDC_CLIENT_ID: "console",
      OIDC_CLIENT_SECRET: "secret",
      OIDC_ROLE_MAP: "admins=admin",
    };
    expect(parseEnv(oidc).OIDC_ROLE_MAP).toEqual([{ value: "admins", role: "admin" }]);
    expect(() => parseEnv({ ...oidc, OIDC_ROLE_MAP: "admins=owner" })).toThrow(/OIDC_ROLE_MAP maps "admins"/);
    expect(() => parseEnv({ ...oidc, OIDC_CLIENT_SECRET: "" })).toThrow(/OIDC_CLIENT_SECRET is required/);
    expect(() => parseEnv({ SSO_ONLY: "true" })).toThrow(/SSO_ONLY needs single sign-on/);
    expect(parseEnv({ ...oidc, SSO_ONLY: "true" }).SSO_ONLY).toBe(true);
  });
});

describe("roleFromClaims", () => {
  it("maps a list claim and gives the strongest of several roles", () => {
    expect(roleFromClaims({ groups: ["agents"] }, "groups", map)).toBe("support");
    expect(roleFromClaims({ groups: ["agents", "admins", "cm"] }, "groups", map)).toBe("admin");
    expect(roleFromClaims({ groups: ["cm", "agents"] }, "groups", map)).toBe("campaign_manager");
  });

  it("maps a single string and reads a dotted path", () => {
    expect(roleFromClaims({ role: "cm" }, "role", map)).toBe("campaign_manager");
    expect(roleFromClaims({ realm_access: { roles: ["admins"] } }, "realm_access.roles", map)).toBe("admin");
    expect(claimValues({ "a.b": ["x"], a: { b: ["y"] } }, "a.b")).toEqual(["x"]);
  });

  it("answers null without a mapped value, whatever the claim holds", () => {
    for (const groups of [undefined, null, [], ["everyone"], "Admins", 42, { admins: true }, [7, null]]) {
      expect(roleFromClaims({ groups }, "groups", map)).toBeNull();
    }
  });
});
