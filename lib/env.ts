import { z } from "zod";
import packageJson from "../package.json";

/**
 * The one reader of process.env. Parsed once per process; a missing or malformed variable stops start-up with a
 * message naming it (see assertEnv in scripts/run-server.ts and instrumentation.ts).
 */

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());

const forwardEndpointSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: "url must be an http(s) URL" }),
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/, "secret must be whsec_ followed by base64"),
  events: z.array(z.string().min(1).max(200)).optional(),
});
export type ConfiguredForwardEndpoint = z.infer<typeof forwardEndpointSchema>;

/**
 * The shortest audit retention anyone may set, in years: the audit log is the record of who read and changed
 * travelers' data, and a setting must not be able to erase recent history (docs/decisions/0064).
 */
export const AUDIT_RETENTION_FLOOR_YEARS = 1;

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
    /** Days the Hubby API log keeps a call until an admin sets it on /retention (the daily retention job deletes older). */
    API_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
    /**
     * Retention defaults (lib/retention/): whole months of webhook events kept before a month is archived and
     * dropped, and years of audit log kept (never below AUDIT_RETENTION_FLOOR_YEARS: decision 0064). An admin can
     * change them on /retention; these apply until then.
     */
    RETENTION_WEBHOOK_MONTHS: z.coerce.number().int().min(1).max(120).default(13),
    RETENTION_AUDIT_YEARS: z.coerce
      .number()
      .int()
      .min(AUDIT_RETENTION_FLOOR_YEARS, `must be at least ${AUDIT_RETENTION_FLOOR_YEARS} (the audit log's floor)`)
      .max(100)
      .default(7),
    /** Where expired webhook months are archived (gzipped NDJSON) when no S3-compatible store is configured. */
    RETENTION_ARCHIVE_DIR: z.preprocess(emptyToUndefined, z.string().default("./data/archive")),
    /** An S3-compatible store for the archives instead of the directory: on when the bucket is set. */
    RETENTION_ARCHIVE_S3_BUCKET: optionalString,
    /** The store's URL (MinIO, Ceph, R2, …); unset: AWS S3 itself. */
    RETENTION_ARCHIVE_S3_ENDPOINT: optionalUrl,
    RETENTION_ARCHIVE_S3_REGION: z.preprocess(emptyToUndefined, z.string().default("us-east-1")),
    /** Unset (both): the SDK's own credential chain (instance role, shared config). */
    RETENTION_ARCHIVE_S3_ACCESS_KEY_ID: optionalString,
    RETENTION_ARCHIVE_S3_SECRET_ACCESS_KEY: optionalString,
    /** Addresses objects as endpoint/bucket/key (most self-hosted stores) instead of bucket.endpoint/key. */
    RETENTION_ARCHIVE_S3_FORCE_PATH_STYLE: z
      .preprocess(emptyToUndefined, z.enum(["true", "false", "1", "0"]).default("false"))
      .transform((value) => value === "true" || value === "1"),
    /** A key prefix inside the bucket, e.g. `hubby-console/`. */
    RETENTION_ARCHIVE_S3_PREFIX: z.preprocess(emptyToUndefined, z.string().max(200).default("")),
    NEXTAUTH_SECRET: optionalString,
    NEXTAUTH_URL: optionalUrl,
    ADMIN_EMAIL: z.preprocess(emptyToUndefined, z.email().optional()),
    ADMIN_PASSWORD: z.preprocess(emptyToUndefined, z.string().min(12, "must be at least 12 characters").optional()),
    ADMIN_NAME: z.preprocess(emptyToUndefined, z.string().default("Administrator")),
    /** OpenID Connect single sign-on (off unless OIDC_ISSUER is set): see docs/identity.md, "Single sign-on". */
    OIDC_ISSUER: optionalUrl,
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_BUTTON_LABEL: z.preprocess(emptyToUndefined, z.string().max(60).default("Sign in with single sign-on")),
    OIDC_SCOPES: z.preprocess(emptyToUndefined, z.string().default("openid email profile")),
    /** The ID-token (or userinfo) claim holding the user's groups or roles, e.g. `groups`. */
    OIDC_ROLE_CLAIM: z.preprocess(emptyToUndefined, z.string().default("groups")),
    /** `claim value=console role` pairs separated by commas: `admins=admin,cm=campaign_manager,agents=support`. */
    OIDC_ROLE_MAP: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .optional()
        .transform((value, ctx) => {
          if (value === undefined) return undefined;
          const parsed = parseRoleMap(value);
          if (typeof parsed === "string") {
            ctx.addIssue({ code: "custom", message: parsed });
            return z.NEVER;
          }
          return parsed;
        }),
    ),
    /** Password sign-in off, except for ADMIN_EMAIL (the break-glass admin); needs OIDC. */
    SSO_ONLY: z
      .preprocess(emptyToUndefined, z.enum(["true", "false", "1", "0"]).default("false"))
      .transform((value) => value === "true" || value === "1"),
    /** Who must sign in with a second factor (TOTP) after the password: nobody, admins, or every password account. */
    REQUIRE_2FA_FOR: z.preprocess(emptyToUndefined, z.enum(["none", "admin", "all"]).default("none")),
    /** Outgoing mail (invites, alerts): smtp://user:pass@host:587 or smtps://…:465; unset = no email is sent. */
    SMTP_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(
          /^smtps?:\/\/[^\s]+$/,
          "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587",
        )
        .optional(),
    ),
    MAIL_FROM: z.preprocess(emptyToUndefined, z.string().max(320).default("Hubby console <console@localhost>")),
    HUBBY_API_BASE_URL: optionalUrl,
    HUBBY_API_KEY: optionalString,
    HUBBY_API_SECRET: optionalString,
    HUBBY_WEBVIEW_URL: z.preprocess(emptyToUndefined, z.url().default("https://app.hubbyesim.com")),
    HUBBY_SIGNED_PATH: z.preprocess(emptyToUndefined, z.enum(["full", "relative"]).default("full")),
    HUBBY_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    HUBBY_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(15_000),
    HUBBY_GET_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    /**
     * Whether a campaign row whose booking Hubby proved absent (after a lost reply) is sent again without staff.
     * Unset: on with the built-in sandbox, off otherwise (autoResend()).
     */
    HUBBY_AUTO_RESEND: z.preprocess(emptyToUndefined, z.enum(["true", "false", "1", "0"]).optional()),
    /** Everything one page render asks Hubby shares this budget; then the page shows stored state. */
    HUBBY_PAGE_BUDGET_MS: z.coerce.number().int().min(200).max(60_000).default(5_000),
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    /** A reverse proxy in front sets X-Forwarded-Host/-Proto/-For; without it those headers are dropped. */
    TRUST_PROXY: z
      .preprocess(emptyToUndefined, z.enum(["true", "false", "1", "0"]).default("false"))
      .transform((value) => value === "true" || value === "1"),
    /**
     * Minimum level of the JSON log lines on stdout (pino; pretty when NODE_ENV is development). Unset: info, or
     * warn under tests (lib/log.ts).
     */
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    ),
    /** Bearer token for GET /api/metrics (Prometheus); unset: the endpoint answers 404. */
    METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, "must be at least 16 characters").optional()),
    /** After SIGTERM: seconds the instance answers not-ready while still serving, so balancers stop sending. */
    SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(60).default(0),
    /** After SIGTERM: the longest wait for requests, webhook intakes and jobs in flight before exiting anyway. */
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(300).default(20),
    HUBBY_SANDBOX_PORT: z.coerce.number().int().min(1).max(65_535).default(4010),
    HUBBY_SANDBOX_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("./data/sandbox")),
    HUBBY_SANDBOX_CLOCK_SPEED: z.coerce.number().min(0).max(100_000).default(60),
    HUBBY_SANDBOX_TRAVELERS: z.coerce.number().int().min(0).max(5_000).default(50),
    /** "documented": the sandbox replies with only what Hubby's docs show, to prove the console needs no more. */
    HUBBY_SANDBOX_SHAPES: z.preprocess(emptyToUndefined, z.enum(["full", "documented"]).default("full")),
    HUBBY_WEBHOOK_URL: optionalUrl,
    HUBBY_WEBHOOK_API_KEY: optionalString,
    HUBBY_WEBHOOK_AUTH_HEADER: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, "must be an HTTP header name")
        .default("x-api-key"),
    ),
    // Not trimmed: a prefix such as "Bearer " ends with its space.
    HUBBY_WEBHOOK_AUTH_PREFIX: z.string().default(""),
    HUBBY_WEBHOOK_SIGNING_SECRET: optionalString,
    HUBBY_WEBHOOK_SILENCE_HOURS: z.coerce.number().min(0.25).max(720).default(6),
    HUBBY_WEBHOOK_TIMESTAMP_HEADER: z.preprocess(emptyToUndefined, z.string().default("x-hubby-timestamp")),
    /**
     * How far a signed webhook's timestamp may be from now. Hubby retries after 1, 5 and 30 minutes, possibly with
     * the original timestamp; deliveries are deduplicated, so accepting an old signed one replays nothing.
     */
    HUBBY_WEBHOOK_TOLERANCE_SECONDS: z.coerce
      .number()
      .int()
      .min(30)
      .max(7 * 86_400)
      .default(3_600),
    /** The sender of alert emails, when it differs from MAIL_FROM. */
    ALERT_EMAIL_FROM: optionalString,
    /** A Slack-compatible incoming webhook for alerts (the rules screen can set one too; this one wins). */
    ALERT_CHAT_WEBHOOK_URL: optionalUrl,
    /**
     * Lets the chat webhook reach loopback, link-local and private addresses (a chat server inside the company's
     * network). Apart from HUBBY_FORWARD_ALLOW_PRIVATE: opening one destination must not open the other.
     */
    ALERT_CHAT_ALLOW_PRIVATE: z
      .preprocess(emptyToUndefined, z.enum(["true", "false", "1", "0"]).default("false"))
      .transform((value) => value === "true" || value === "1"),
    /** Days a resolved alert incident is kept; the hourly maintenance job deletes older ones. */
    ALERT_INCIDENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
    /**
     * Partner endpoints that receive Hubby's webhooks from the console, declared as code: a JSON array of
     * `{url, secret, events?}` (events omitted: every type). They show read-only on the Forwarding screen.
     */
    HUBBY_FORWARD_ENDPOINTS: z.preprocess(
      (value) => {
        const text = emptyToUndefined(value);
        if (text === undefined) return [];
        try {
          return JSON.parse(String(text));
        } catch {
          return "not JSON";
        }
      },
      z.array(forwardEndpointSchema, { error: "must be a JSON array of {url, secret, events?}" }).default([]),
    ),
    /** Lets forwarded webhooks reach loopback, link-local and private addresses (a partner's internal backend). */
    HUBBY_FORWARD_ALLOW_PRIVATE: z
      .preprocess(emptyToUndefined, z.enum(["true", "false", "1", "0"]).default("false"))
      .transform((value) => value === "true" || value === "1"),
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
    const oidcParts = [value.OIDC_ISSUER, value.OIDC_CLIENT_ID, value.OIDC_CLIENT_SECRET, value.OIDC_ROLE_MAP];
    if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
      const names = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ROLE_MAP"] as const;
      ctx.addIssue({
        code: "custom",
        path: [names[oidcParts.findIndex((part) => !part)]!],
        message: "is required: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_ROLE_MAP are set together",
      });
    }
    if (value.SSO_ONLY && !value.OIDC_ISSUER) {
      ctx.addIssue({ code: "custom", path: ["SSO_ONLY"], message: "needs single sign-on configured (OIDC_ISSUER …)" });
    }
    if (value.NODE_ENV === "production" && value.HUBBY_API_BASE_URL && !value.HUBBY_WEBHOOK_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["HUBBY_WEBHOOK_API_KEY"],
        message: "is required in production: without it no webhook from Hubby can be accepted",
      });
    }
    const s3Named = [
      value.RETENTION_ARCHIVE_S3_ENDPOINT,
      value.RETENTION_ARCHIVE_S3_ACCESS_KEY_ID,
      value.RETENTION_ARCHIVE_S3_SECRET_ACCESS_KEY,
    ];
    if (!value.RETENTION_ARCHIVE_S3_BUCKET && s3Named.some(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["RETENTION_ARCHIVE_S3_BUCKET"],
        message: "is required when any other RETENTION_ARCHIVE_S3_ variable is set",
      });
    }
    if (Boolean(value.RETENTION_ARCHIVE_S3_ACCESS_KEY_ID) !== Boolean(value.RETENTION_ARCHIVE_S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: [
          value.RETENTION_ARCHIVE_S3_ACCESS_KEY_ID
            ? "RETENTION_ARCHIVE_S3_SECRET_ACCESS_KEY"
            : "RETENTION_ARCHIVE_S3_ACCESS_KEY_ID",
        ],
        message: "RETENTION_ARCHIVE_S3_ACCESS_KEY_ID and RETENTION_ARCHIVE_S3_SECRET_ACCESS_KEY must be set together",
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

const ROLE_NAMES = ["admin", "campaign_manager", "support"] as const;
export type OidcRoleMap = { value: string; role: (typeof ROLE_NAMES)[number] }[];

/**
 * `admins=admin,cm=campaign_manager`: each pair splits at its last `=`, so a claim value may itself contain `=`
 * (an LDAP-style group name); answers the pairs, or what is wrong with them.
 */
export function parseRoleMap(text: string): OidcRoleMap | string {
  const pairs: OidcRoleMap = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const at = entry.lastIndexOf("=");
    const value = at > 0 ? entry.slice(0, at).trim() : "";
    const role = at > 0 ? entry.slice(at + 1).trim() : "";
    if (!value) return `has "${entry}", which is not "claim value=role"`;
    if (!(ROLE_NAMES as readonly string[]).includes(role)) {
      return `maps "${value}" to "${role}", which is not one of ${ROLE_NAMES.join(", ")}`;
    }
    pairs.push({ value, role: role as OidcRoleMap[number]["role"] });
  }
  return pairs.length > 0 ? pairs : "must map at least one claim value to a role";
}

/** Single sign-on settings, or null when OIDC is not configured. */
export function oidcSettings(env: Env = getEnv()) {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET || !env.OIDC_ROLE_MAP) return null;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    buttonLabel: env.OIDC_BUTTON_LABEL,
    scopes: env.OIDC_SCOPES,
    roleClaim: env.OIDC_ROLE_CLAIM,
    roleMap: env.OIDC_ROLE_MAP,
    ssoOnly: env.SSO_ONLY,
  };
}
export type OidcSettings = NonNullable<ReturnType<typeof oidcSettings>>;

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

/**
 * Whether the campaign worker re-sends a row whose booking Hubby has positively shown absent. Default: only on the
 * built-in sandbox, whose GET /bookings counts its matches; real Hubby's reply shape is undocumented.
 */
export function autoResend(env: Env = getEnv()): boolean {
  if (env.HUBBY_AUTO_RESEND === undefined) return usesBuiltInSandbox(env);
  return env.HUBBY_AUTO_RESEND === "true" || env.HUBBY_AUTO_RESEND === "1";
}

/** Credentials of the built-in sandbox. Not secrets: the sandbox only listens on localhost and holds demo data. */
export const SANDBOX_CREDENTIALS = {
  apiKey: "sandbox_pk_demo",
  apiSecret: "sandbox_sk_demo_local_only",
  webhookApiKey: "sandbox_whk_demo_local_only",
} as const;

export type HubbyConnection = {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  signedPath: "full" | "relative";
  environment: HubbyEnvironment;
  /** The traveler-facing WebView, opened with `?t=<redirect token>`. */
  webviewUrl: string;
};

/** Where the console's Hubby client points: the configured Hubby, or the built-in sandbox on its own port. */
export function hubbyConnection(env: Env = getEnv()): HubbyConnection {
  if (env.HUBBY_API_BASE_URL && env.HUBBY_API_KEY && env.HUBBY_API_SECRET) {
    return {
      baseUrl: env.HUBBY_API_BASE_URL,
      apiKey: env.HUBBY_API_KEY,
      apiSecret: env.HUBBY_API_SECRET,
      signedPath: env.HUBBY_SIGNED_PATH,
      environment: hubbyEnvironment(env),
      webviewUrl: env.HUBBY_WEBVIEW_URL,
    };
  }
  return {
    baseUrl: `http://127.0.0.1:${env.HUBBY_SANDBOX_PORT}/api`,
    apiKey: SANDBOX_CREDENTIALS.apiKey,
    apiSecret: SANDBOX_CREDENTIALS.apiSecret,
    signedPath: env.HUBBY_SIGNED_PATH,
    environment: "SANDBOX",
    webviewUrl: `http://127.0.0.1:${env.HUBBY_SANDBOX_PORT}/webview`,
  };
}

/** The webhook credentials Hubby (or the sandbox) sends, which the receiver checks. */
export function webhookSettings(env: Env = getEnv()) {
  return {
    apiKey: env.HUBBY_WEBHOOK_API_KEY ?? (usesBuiltInSandbox(env) ? SANDBOX_CREDENTIALS.webhookApiKey : undefined),
    authHeader: env.HUBBY_WEBHOOK_AUTH_HEADER.toLowerCase(),
    authPrefix: env.HUBBY_WEBHOOK_AUTH_PREFIX,
    signingSecret: env.HUBBY_WEBHOOK_SIGNING_SECRET,
    timestampHeader: env.HUBBY_WEBHOOK_TIMESTAMP_HEADER.toLowerCase(),
    toleranceMs: env.HUBBY_WEBHOOK_TOLERANCE_SECONDS * 1000,
  };
}

export type ArchiveStoreSettings =
  | { kind: "directory"; directory: string }
  | {
      kind: "s3";
      bucket: string;
      prefix: string;
      endpoint?: string;
      region: string;
      forcePathStyle: boolean;
      credentials?: { accessKeyId: string; secretAccessKey: string };
    };

/** Where retention archives go: the S3-compatible store when its bucket is set, else the directory. */
export function archiveStoreSettings(env: Env = getEnv()): ArchiveStoreSettings {
  if (!env.RETENTION_ARCHIVE_S3_BUCKET) return { kind: "directory", directory: env.RETENTION_ARCHIVE_DIR };
  return {
    kind: "s3",
    bucket: env.RETENTION_ARCHIVE_S3_BUCKET,
    prefix: env.RETENTION_ARCHIVE_S3_PREFIX,
    endpoint: env.RETENTION_ARCHIVE_S3_ENDPOINT,
    region: env.RETENTION_ARCHIVE_S3_REGION,
    forcePathStyle: env.RETENTION_ARCHIVE_S3_FORCE_PATH_STYLE,
    credentials:
      env.RETENTION_ARCHIVE_S3_ACCESS_KEY_ID && env.RETENTION_ARCHIVE_S3_SECRET_ACCESS_KEY
        ? {
            accessKeyId: env.RETENTION_ARCHIVE_S3_ACCESS_KEY_ID,
            secretAccessKey: env.RETENTION_ARCHIVE_S3_SECRET_ACCESS_KEY,
          }
        : undefined,
  };
}
