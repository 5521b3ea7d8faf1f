import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "../db";
import { getEnv, oidcSettings } from "../env";
import { audit } from "../audit/audit";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { checkThrottle, recordLoginAttempt, recordSuccessfulSignIn } from "./throttle";
import { demoStaffAllowed, isDemoStaffEmail } from "./demo";
import { isStaffRole } from "./roles";
import { sessionCallbacks, SESSION_MAX_AGE_SECONDS } from "./session-callbacks";
import { admitSsoUser, OIDC_PROVIDER_ID, oidcProvider, passwordSignInAllowed, refusePasswordSignIn } from "./sso";
import { clientAddress } from "../client-ip";
import { servedOverHttps } from "../security-headers";
import { authorizeSecondFactor, secondFactorChallenge } from "./two-factor";

export const THROTTLED_ERROR = "TooManyAttempts";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
});

const twoFactorCredentialsSchema = z.object({
  challenge: z.string().max(200),
  code: z.string().max(64).optional(),
});

/** The address the sign-in throttle counts (lib/client-ip.ts: never the hops a client wrote itself). */
export function clientIp(headers: Record<string, unknown> | undefined): string {
  return clientAddress(headers) ?? "unknown";
}

/** Checks credentials with throttling and auditing; returns the user for the session, or null (generic error). */
export async function authorizeCredentials(raw: unknown, ip: string) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.email || !parsed.data.password) return null;
  const { email, password } = parsed.data;

  const throttle = await checkThrottle(email, ip);
  if (throttle.throttled) {
    await audit({
      action: "auth.throttled",
      targetType: "staff",
      targetId: email,
      result: "refused",
      details: { ip, by: throttle.by, retryAfterSeconds: throttle.retryAfterSeconds },
    });
    throw new Error(THROTTLED_ERROR);
  }

  const user = await db().staffUser.findUnique({ where: { email } });
  // A demo account (published password) is refused outside the built-in sandbox even if an admin re-enabled it.
  const demoRefused = isDemoStaffEmail(email) && !demoStaffAllowed();
  const usable = user && !user.disabled && !demoRefused;
  const valid = usable ? await verifyPassword(user.passwordHash, password) : false;
  if (!usable) await verifyAgainstDummy(password);

  if (!user || !valid) {
    await recordLoginAttempt(email, ip, false);
    await audit({
      actor: user ? { id: user.id, email: user.email } : null,
      action: "auth.sign_in_failed",
      targetType: "staff",
      targetId: email,
      result: "error",
      details: {
        ip,
        reason: !user
          ? "unknown_email"
          : demoRefused
            ? "demo_account_outside_sandbox"
            : user.disabled
              ? "disabled"
              : "wrong_password",
      },
    });
    return null;
  }

  // TOTP on, or required for the role: no session yet, only the challenge for the code step (lib/auth/two-factor.ts).
  // Failures are not cleared here, or a known password would reset the count of wrong codes.
  const secondFactor = await secondFactorChallenge(user);
  if (secondFactor) throw new Error(secondFactor);

  await recordSuccessfulSignIn(user, ip, {});
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}

/** What went wrong, in one line of at most 200 characters, without a stack. */
function oneLine(metadata: unknown): string {
  const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error ?? "");
  return message.replace(/\s+/g, " ").slice(0, 200);
}

let cached: NextAuthOptions | undefined;

/** Built on first use: `next build` imports this module without production secrets. */
export function getAuthOptions(): NextAuthOptions {
  const oidc = oidcSettings();
  cached ??= {
    secret: getEnv().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // Secure (and __Secure- prefixed) cookies whenever the console's public URL is https (what next-auth infers too,
    // said here so that it cannot drift: NEXTAUTH_URL must be set to the https URL behind a proxy, see README).
    useSecureCookies: servedOverHttps(getEnv().NEXTAUTH_URL, null),
    // One short line per problem: a forged or stale session cookie is routine on a public console, and the
    // default logger prints a 3 KB stack trace for each one.
    logger: {
      error(code, metadata) {
        console.error(`[auth] ${code}: ${oneLine(metadata)}`);
      },
      warn(code) {
        console.warn(`[auth] ${code}`);
      },
      debug() {},
    },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const ip = clientIp(req?.headers);
          if (!passwordSignInAllowed(credentials?.email)) return refusePasswordSignIn(credentials?.email, ip);
          return authorizeCredentials(credentials, ip);
        },
      }),
      ...(oidc ? [oidcProvider(oidc)] : []),
      // The second step of a password sign-in with TOTP: the challenge the password step gave, and a code.
      CredentialsProvider({
        id: "two-factor",
        name: "Two-factor code",
        credentials: { challenge: { type: "text" }, code: { type: "text" } },
        async authorize(credentials, req) {
          const input = twoFactorCredentialsSchema.safeParse(credentials);
          if (!input.success) return null;
          return authorizeSecondFactor(input.data, clientIp(req?.headers), THROTTLED_ERROR);
        },
      }),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        return account?.provider === OIDC_PROVIDER_ID ? admitSsoUser(user, profile as Record<string, unknown>) : true;
      },
      async jwt({ token, user, account }) {
        if (user && "sessionVersion" in user) {
          token.sub = user.id;
          token.sv = user.sessionVersion;
          token.role = isStaffRole(user.role) ? user.role : undefined;
          token.sid = await sessionCallbacks.start(user.id, user.sessionVersion ?? -1, account?.provider, clientIp);
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) {
          session.user.id = token.sub;
          session.user.sessionVersion = typeof token.sv === "number" ? token.sv : -1;
          session.user.sessionId = typeof token.sid === "string" ? token.sid : undefined;
        }
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sub && typeof token.sid === "string") await sessionCallbacks.end(token.sub, token.sid);
        if (token?.sub && typeof token.email === "string") {
          await audit({
            actor: { id: token.sub, email: token.email },
            action: "auth.sign_out",
            targetType: "staff",
            targetId: token.sub,
            result: "ok",
          });
        }
      },
    },
  };
  return cached;
}
