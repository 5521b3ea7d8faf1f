import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { S3Client } from "@aws-sdk/client-s3";
import { archiveStoreSettings, type ArchiveStoreSettings } from "../env";

/**
 * Where retention archives are written and read back from: a directory (RETENTION_ARCHIVE_DIR), or an
 * S3-compatible bucket when RETENTION_ARCHIVE_S3_BUCKET is set. Both take a stream, so an archive is never held in
 * memory whole; the bucket gets it as a multipart upload.
 */
export type ArchiveStore = {
  kind: "directory" | "s3";
  /** The directory's path, or s3://bucket/prefix: shown on the screen and kept with each archive. */
  location: string;
  /** Writes the object whole or not at all (a directory write lands under its name only once complete). */
  write(name: string, body: Readable): Promise<void>;
  read(name: string): Promise<Readable>;
};

function directoryStore(directory: string): ArchiveStore {
  const root = path.resolve(directory);
  return {
    kind: "directory",
    location: root,
    async write(name, body) {
      await fs.promises.mkdir(root, { recursive: true });
      const partial = path.join(root, `.${name}.${process.pid}.${crypto.randomUUID().slice(0, 8)}.partial`);
      try {
        await pipeline(body, fs.createWriteStream(partial, { flags: "wx" }));
        await fs.promises.rename(partial, path.join(root, name));
      } catch (error) {
        await fs.promises.rm(partial, { force: true });
        throw error;
      }
    },
    async read(name) {
      const file = path.join(root, name);
      await fs.promises.access(file, fs.constants.R_OK);
      return fs.createReadStream(file);
    },
  };
}

function s3Store(settings: Extract<ArchiveStoreSettings, { kind: "s3" }>): ArchiveStore {
  // Loaded on first use: the SDK is large, and most installations archive to a directory (decision 0059's footprint).
  let client: Promise<S3Client> | undefined;
  const s3 = () =>
    (client ??= import("@aws-sdk/client-s3").then(
      ({ S3Client }) =>
        new S3Client({
          region: settings.region,
          endpoint: settings.endpoint,
          forcePathStyle: settings.forcePathStyle,
          credentials: settings.credentials,
          // A store that is down fails the run quickly; tomorrow's run tries again.
          maxAttempts: 3,
        }),
    ));
  const key = (name: string) => `${settings.prefix}${name}`;
  return {
    kind: "s3",
    location: `s3://${settings.bucket}/${settings.prefix}`,
    async write(name, body) {
      const { Upload } = await import("@aws-sdk/lib-storage");
      const upload = new Upload({
        client: await s3(),
        params: { Bucket: settings.bucket, Key: key(name), Body: body, ContentType: "application/gzip" },
      });
      await upload.done();
    },
    async read(name) {
      const { GetObjectCommand } = await import("@aws-sdk/client-s3");
      const object = await (await s3()).send(new GetObjectCommand({ Bucket: settings.bucket, Key: key(name) }));
      if (!(object.Body instanceof Readable)) throw new Error(`The store answered ${key(name)} without a body.`);
      return object.Body;
    },
  };
}

/** The store the settings name (by default, the environment's). */
export function archiveStore(settings: ArchiveStoreSettings = archiveStoreSettings()): ArchiveStore {
  return settings.kind === "s3" ? s3Store(settings) : directoryStore(settings.directory);
}
