import type { OidcRoleMap } from "../env";
import { staffRoles, type StaffRole } from "./roles";

/** Most privileged first: a user in several mapped groups gets the strongest of their roles. */
const precedence: readonly StaffRole[] = ["admin", "campaign_manager", "support"];

/**
 * The values of the role claim: a list (`groups: ["admins", "cm"]`) or one string. A dotted name that is not a
 * claim of its own is read as a path (`realm_access.roles`, where Keycloak puts realm roles).
 */
export function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  let value: unknown = claims[claim];
  if (value === undefined && claim.includes(".")) {
    value = claim.split(".").reduce<unknown>((node, key) => {
      return node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
    }, claims);
  }
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === "string" && item.length > 0);
}

/** The console role the provider's claims map to (OIDC_ROLE_MAP), or null when none of the values is mapped. */
export function roleFromClaims(claims: Record<string, unknown>, claim: string, map: OidcRoleMap): StaffRole | null {
  const values = new Set(claimValues(claims, claim));
  const granted = new Set(map.filter((pair) => values.has(pair.value)).map((pair) => pair.role));
  return precedence.find((role) => granted.has(role) && staffRoles.includes(role)) ?? null;
}
