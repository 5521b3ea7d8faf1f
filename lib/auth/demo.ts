import "server-only";
import { getEnv, usesBuiltInSandbox, type Env } from "../env";
import type { StaffRole } from "./roles";

/**
 * Demo accounts: their passwords are published in the README, so they may exist and sign in only while the
 * built-in sandbox stands in for Hubby and no ADMIN_EMAIL is configured. Sign-in and the per-request session check
 * refuse them otherwise, and the start-up bootstrap disables them (lib/staff/bootstrap.ts), so a data directory
 * first created in sandbox mode never carries a published admin into production.
 */
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

/** The domain of the demo accounts: any address there is treated as demo, not only the three seeded ones. */
const DEMO_DOMAIN = "@demo.hubby.test";

export function isDemoStaffEmail(email: string): boolean {
  return email.trim().toLowerCase().endsWith(DEMO_DOMAIN);
}

export function demoStaffAllowed(env: Env = getEnv()): boolean {
  return usesBuiltInSandbox(env) && !env.ADMIN_EMAIL;
}
