import crypto from "node:crypto";
import { db } from "../../lib/db";
import { hashPassword } from "../../lib/auth/password";
import type { StaffRole } from "../../lib/auth/roles";
import { setSession } from "./session";

export const TEST_PASSWORD = "correct-horse-battery";
let cachedHash: Promise<string> | undefined;

export async function makeStaff(role: StaffRole, overrides: { email?: string; disabled?: boolean } = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return db().staffUser.create({
    data: {
      email: overrides.email ?? `${role}-${crypto.randomUUID().slice(0, 8)}@example.test`,
      name: `Test ${role}`,
      role,
      passwordHash: await cachedHash,
      disabled: overrides.disabled ?? false,
    },
  });
}

/** Signs the given staff member in for the server code under test. */
export async function signInAs(role: StaffRole) {
  const user = await makeStaff(role);
  setSession(user);
  return user;
}

export function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}
