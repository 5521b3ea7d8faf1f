import { describe, expect, it } from "vitest";
import { EnvError, archiveStoreSettings, hubbyEnvironment, parseEnv, usesBuiltInSandbox } from "./env";

const secret = "s".repeat(40);

describe("parseEnv", () => {
  it("defaults to PGlite in ./data/pglite and the sandbox in development", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DATA_DIR).toBe("./data/pglite");
    expect(usesBuiltInSandbox(env)).toBe(true);
    expect(hubbyEnvironment(env)).toBe("SANDBOX");
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/NEXTAUTH_SECRET is required in production/);
    expect(() => parseEnv({ NEXTAUTH_SECRET: "short" })).toThrow(/NEXTAUTH_SECRET must be at least 32/);
    expect(() => parseEnv({ ADMIN_EMAIL: "a@b.co" })).toThrow(/ADMIN_PASSWORD/);
    expect(() => parseEnv({ HUBBY_API_BASE_URL: "https://api.hubbyesim.com/api" })).toThrow(/HUBBY_API_KEY/);
    expect(() => parseEnv({ HUBBY_API_BASE_URL: "not a url" })).toThrow(EnvError);
  });

  it("keeps the sandbox's full replies unless documented shapes are asked for, and refuses anything else", () => {
    expect(parseEnv({}).HUBBY_SANDBOX_SHAPES).toBe("full");
    expect(parseEnv({ HUBBY_SANDBOX_SHAPES: "documented" }).HUBBY_SANDBOX_SHAPES).toBe("documented");
    expect(() => parseEnv({ HUBBY_SANDBOX_SHAPES: "strict" })).toThrow(/HUBBY_SANDBOX_SHAPES/);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", ADMIN_EMAIL: " ", ADMIN_PASSWORD: "" }).DATABASE_URL).toBeUndefined();
  });

  it("accepts a complete production configuration", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      NEXTAUTH_SECRET: secret,
      DATABASE_URL: "postgres://u:p@db:5432/console",
      HUBBY_API_BASE_URL: "https://api.hubbyesim.com/api",
      HUBBY_API_KEY: "pk",
      HUBBY_API_SECRET: "sk",
      HUBBY_WEBHOOK_API_KEY: "whk",
    });
    expect(hubbyEnvironment(env)).toBe("PRODUCTION");
    expect(usesBuiltInSandbox(env)).toBe(false);
  });

  it("refuses production against real Hubby without a webhook key", () => {
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        NEXTAUTH_SECRET: secret,
        HUBBY_API_BASE_URL: "https://api.hubbyesim.com/api",
        HUBBY_API_KEY: "pk",
        HUBBY_API_SECRET: "sk",
      }),
    ).toThrow(/HUBBY_WEBHOOK_API_KEY is required in production/);
  });
});

describe("hubbyEnvironment", () => {
  const withBase = (url: string) => parseEnv({ HUBBY_API_BASE_URL: url, HUBBY_API_KEY: "k", HUBBY_API_SECRET: "s" });
  it("reads STAGING from Hubby's staging host", () => {
    expect(hubbyEnvironment(withBase("https://api-staging.hubby.dev/api"))).toBe("STAGING");
  });
  it("reads PRODUCTION from the production hosts", () => {
    expect(hubbyEnvironment(withBase("https://api.hubbyesim.com/api"))).toBe("PRODUCTION");
    expect(hubbyEnvironment(withBase("https://europe-west4-hubby-esim.cloudfunctions.net/api_v2/"))).toBe("PRODUCTION");
  });
  it("reads SANDBOX from a local server", () => {
    expect(hubbyEnvironment(withBase("http://127.0.0.1:4010/api"))).toBe("SANDBOX");
  });
});

describe("retention settings", () => {
  it("defaults to 13 months of webhooks, 30 days of API log, 7 years of audit, archives in ./data/archive", () => {
    const env = parseEnv({});
    expect(env.RETENTION_WEBHOOK_MONTHS).toBe(13);
    expect(env.API_LOG_RETENTION_DAYS).toBe(30);
    expect(env.RETENTION_AUDIT_YEARS).toBe(7);
    expect(archiveStoreSettings(env)).toEqual({ kind: "directory", directory: "./data/archive" });
  });

  it("refuses an audit retention below the floor", () => {
    expect(() => parseEnv({ RETENTION_AUDIT_YEARS: "0" })).toThrow(/RETENTION_AUDIT_YEARS must be at least 1/);
  });

  it("uses the S3-compatible store when its bucket is set, with keys given together", () => {
    const env = parseEnv({
      RETENTION_ARCHIVE_S3_BUCKET: "archive",
      RETENTION_ARCHIVE_S3_ENDPOINT: "http://127.0.0.1:9000",
      RETENTION_ARCHIVE_S3_ACCESS_KEY_ID: "key",
      RETENTION_ARCHIVE_S3_SECRET_ACCESS_KEY: "secret",
      RETENTION_ARCHIVE_S3_FORCE_PATH_STYLE: "true",
    });
    expect(archiveStoreSettings(env)).toMatchObject({
      kind: "s3",
      bucket: "archive",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
      credentials: { accessKeyId: "key", secretAccessKey: "secret" },
    });
    expect(() => parseEnv({ RETENTION_ARCHIVE_S3_ENDPOINT: "http://127.0.0.1:9000" })).toThrow(
      /RETENTION_ARCHIVE_S3_BUCKET is required/,
    );
    expect(() => parseEnv({ RETENTION_ARCHIVE_S3_BUCKET: "b", RETENTION_ARCHIVE_S3_ACCESS_KEY_ID: "k" })).toThrow(
      /RETENTION_ARCHIVE_S3_SECRET_ACCESS_KEY/,
    );
  });
});
