import { z } from "zod";
import packageJson from "../package.json";

/**
 * The one reader of process.env. Parsed once per process; a missing or malformed variable stops start-up with a
 * message naming it (see assertEnv in scripts/run-server.ts and instrumentation.ts).
 */

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL (leave unset for embedded PGlite)")
        .optional(),
    ),
    PGLITE_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("./data/pglite")),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    NEXTAUTH_SECRET: optionalString,
    NEXTAUTH_URL: optionalUrl,
    ADMIN_EMAIL: z.preprocess(emptyToUndefined, z.email().optional()),
    ADMIN_PASSWORD: z.preprocess(emptyToUndefined, z.string().min(12, "must be at least 12 characters").optional()),
    ADMIN_NAME: z.preprocess(emptyToUndefined, z.string().default("Administrator")),
    HUBBY_API_BASE_URL: optionalUrl,
    HUBBY_API_KEY: optionalString,
    HUBBY_API_SECRET: optionalString,
  })
  .superRefine((value, ctx) => {
    if (value.NODE_ENV === "production" && !value.NEXTAUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["NEXTAUTH_SECRET"], message: "is required in production" });
    }
    if (value.NEXTAUTH_SECRET && value.NEXTAUTH_SECRET.length < 32) {
      ctx.addIssue({ code: "custom", path: ["NEXTAUTH_SECRET"], message: "must be at least 32 characters" });
    }
    if (Boolean(value.ADMIN_EMAIL) !== Boolean(value.ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: "custom",
        path: [value.ADMIN_EMAIL ? "ADMIN_PASSWORD" : "ADMIN_EMAIL"],
        message: "ADMIN_EMAIL and ADMIN_PASSWORD must be set together",
      });
    }
    if (value.HUBBY_API_BASE_URL && (!value.HUBBY_API_KEY || !value.HUBBY_API_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: [!value.HUBBY_API_KEY ? "HUBBY_API_KEY" : "HUBBY_API_SECRET"],
        message: "is required when HUBBY_API_BASE_URL is set",
      });
    }
  });

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid environment configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "(env)"} ${issue.message}`));
  }
  return result.data;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests and start-up scripts change variables before first use; this lets them re-read. */
export function resetEnvCache() {
  cached = undefined;
}

export const appVersion: string = packageJson.version;

export type HubbyEnvironment = "SANDBOX" | "STAGING" | "PRODUCTION";

/** The badge in the header: SANDBOX when the built-in sandbox stands in for Hubby, otherwise read from the base URL. */
export function hubbyEnvironment(env: Env = getEnv()): HubbyEnvironment {
  if (!env.HUBBY_API_BASE_URL) return "SANDBOX";
  const host = new URL(env.HUBBY_API_BASE_URL).hostname;
  if (/(^|[.-])(staging|stage|dev|test|sandbox)([.-]|$)/.test(host) || host.endsWith(".hubby.dev")) return "STAGING";
  if (host === "localhost" || host.startsWith("127.")) return "SANDBOX";
  return "PRODUCTION";
}

/** Demo staff are seeded only where no real Hubby is configured. */
export function usesBuiltInSandbox(env: Env = getEnv()): boolean {
  return !env.HUBBY_API_BASE_URL;
}
