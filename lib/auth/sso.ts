import "server-only";
import crypto from "node:crypto";
import type { User } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { audit } from "../audit/audit";
import { db, isUniqueViolation } from "../db";
import { getEnv, oidcSettings, type OidcSettings } from "../env";
import { demoStaffAllowed, isDemoStaffEmail } from "./demo";
import { claimValues, roleFromClaims } from "./oidc-roles";
import { hashPassword } from "./password";
import { recordLoginAttempt } from "./throttle";

/** next-auth's provider id: the callback URL to register at the provider is `<console>/api/auth/callback/oidc`. */
export const OIDC_PROVIDER_ID = "oidc";

type Claims = Record<string, unknown>;

/**
 * The OIDC provider for next-auth v4: discovery from the issuer, authorization code flow with PKCE and state, and
 * the ID token verified (signature, issuer, audience, expiry) by openid-client. Claims come from the ID token, then
 * from the userinfo endpoint for what the ID token leaves out (many providers put groups only in one of them).
 */
export function oidcProvider(settings: OidcSettings): OAuthConfig<Claims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.buttonLabel,
    type: "oauth",
    wellKnown: `${settings.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`,
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorization: { params: { scope: settings.scopes } },
    idToken: true,
    checks: ["pkce", "state"],
    userinfo: {
      async request({ tokens, client }) {
        // At run time an openid-client TokenSet, whose ID token openid-client has verified (next-auth types it loosely).
        const tokenSet = tokens as unknown as Parameters<typeof client.userinfo>[0] & { claims(): Claims };
        const fromIdToken = tokenSet.claims();
        if (!tokens.access_token || !client.issuer.metadata.userinfo_endpoint) return fromIdToken;
        const fromUserinfo = (await client.userinfo(tokenSet)) as Claims;
        return { ...fromUserinfo, ...fromIdToken };
      },
    },
    profile(claims) {
      return {
        id: String(claims.sub),
        email: typeof claims.email === "string" ? claims.email : null,
        name: typeof claims.name === "string" ? claims.name : null,
      };
    },
  };
}

/** Why a provider's user was turned away: the refusal page (/login/sso-refused) explains each. */
export const ssoRefusals = ["no-role", "disabled", "no-email", "linked-elsewhere"] as const;
export type SsoRefusal = (typeof ssoRefusals)[number];

const emailSchema = z.email().max(320);

/**
 * Lets a user the provider signed in into the console, or refuses them: the role comes from the role claim at every
 * sign-in (a change at the provider applies on the next one); the staff account is found by the provider's subject,
 * else by email (a password account of that address is linked), else created. On success `user` becomes the staff
 * member (next-auth hands the same object to the jwt callback); otherwise the answer is the refusal page's path.
 */
export async function admitSsoUser(user: User, claims: Claims | undefined): Promise<true | string> {
  const settings = oidcSettings();
  if (!settings || !claims || typeof claims.sub !== "string" || !claims.sub) return refusalPath("no-email");
  const subject = claims.sub;
  const parsedEmail = emailSchema.safeParse(typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "");
  // An address the provider says it has not verified could name someone else's console account.
  if (!parsedEmail.success || claims.email_verified === false) {
    return refuse({ reason: "no-email", subject, email: null });
  }
  const email = parsedEmail.data;
  const role = roleFromClaims(claims, settings.roleClaim, settings.roleMap);
  if (!role) {
    return refuse({ reason: "no-role", subject, email, values: claimValues(claims, settings.roleClaim).slice(0, 20) });
  }
  if (isDemoStaffEmail(email) && !demoStaffAllowed()) return refuse({ reason: "disabled", subject, email });

  const name = (typeof claims.name === "string" && claims.name.trim()) || email;
  const found =
    (await db().staffUser.findUnique({ where: { ssoSubject: subject } })) ??
    (await db().staffUser.findUnique({ where: { email } }));
  if (found?.disabled) return refuse({ reason: "disabled", subject, email, staffId: found.id });
  if (found?.ssoSubject && found.ssoSubject !== subject) {
    return refuse({ reason: "linked-elsewhere", subject, email, staffId: found.id });
  }

  let staff;
  try {
    staff = found
      ? await db().staffUser.update({
          where: { id: found.id },
          data: { role, name: name.slice(0, 200), ssoSubject: subject, lastLoginAt: new Date() },
        })
      : await db().staffUser.create({
          data: {
            email,
            name: name.slice(0, 200),
            role,
            ssoSubject: subject,
            // Nobody knows this password: the account signs in through the provider only.
            passwordHash: await hashPassword(crypto.randomBytes(32).toString("base64url")),
            hasPassword: false,
            lastLoginAt: new Date(),
          },
        });
  } catch (error) {
    // Two first sign-ins of one new user at once: the other created the account; the next attempt links to it.
    if (isUniqueViolation(error)) return refuse({ reason: "linked-elsewhere", subject, email });
    throw error;
  }

  await audit({
    actor: { id: staff.id, email: staff.email },
    action: "auth.sign_in",
    targetType: "staff",
    targetId: staff.id,
    result: "ok",
    details: {
      method: "sso",
      subject,
      role,
      ...(found ? {} : { created: true }),
      ...(found && found.role !== role ? { roleChangedFrom: found.role } : {}),
    },
  });
  Object.assign(user, {
    id: staff.id,
    email: staff.email,
    name: staff.name,
    role: staff.role,
    sessionVersion: staff.sessionVersion,
  });
  return true;
}

function refusalPath(reason: SsoRefusal): string {
  return `/login/sso-refused?reason=${reason}`;
}

async function refuse(input: {
  reason: SsoRefusal;
  subject: string;
  email: string | null;
  staffId?: string;
  values?: string[];
}): Promise<string> {
  await audit({
    action: "auth.sso_refused",
    targetType: "staff",
    targetId: input.staffId ?? input.email ?? input.subject,
    result: "refused",
    details: {
      reason: input.reason,
      subject: input.subject,
      email: input.email,
      ...(input.values ? { claimValues: input.values } : {}),
    },
  });
  return refusalPath(input.reason);
}

/**
 * With SSO_ONLY, only the break-glass admin (ADMIN_EMAIL) may still sign in with a password. Kept apart from the
 * credentials check itself, which runs unchanged for whoever passes this.
 */
export function passwordSignInAllowed(email: unknown): boolean {
  const env = getEnv();
  if (!env.SSO_ONLY) return true;
  return typeof email === "string" && !!env.ADMIN_EMAIL && email.trim().toLowerCase() === env.ADMIN_EMAIL.toLowerCase();
}

/** A password sign-in SSO_ONLY turns away: counted like a failure (throttling), audited, the generic answer. */
export async function refusePasswordSignIn(email: unknown, ip: string): Promise<null> {
  const address = typeof email === "string" ? email.trim().toLowerCase().slice(0, 320) : "";
  await recordLoginAttempt(address, ip, false);
  await audit({
    action: "auth.sign_in_failed",
    targetType: "staff",
    targetId: address,
    result: "error",
    details: { ip, reason: "sso_only" },
  });
  return null;
}
