import "server-only";
import { db } from "../db";
import { bytesToSize, sizeToBytes } from "./request";

/** The largest top-up (data per traveler) a support agent may issue; an admin changes it on /bookings. */
const SUPPORT_TOP_UP_LIMIT = "bookings.supportTopUpLimit";
export const DEFAULT_SUPPORT_TOP_UP_LIMIT = "5GB";

export async function supportTopUpLimit(): Promise<{ size: string; bytes: number }> {
  const row = await db().consoleSetting.findUnique({ where: { key: SUPPORT_TOP_UP_LIMIT } });
  const size = typeof row?.value === "string" && sizeToBytes(row.value) ? row.value : DEFAULT_SUPPORT_TOP_UP_LIMIT;
  return { size, bytes: sizeToBytes(size)! };
}

export async function setSupportTopUpLimit(
  size: string,
  actor: { id: string; email: string },
): Promise<{ before: string; after: string }> {
  const bytes = sizeToBytes(size);
  if (!bytes) throw new Error(`Not a size: ${size}`);
  const before = (await supportTopUpLimit()).size;
  const after = bytesToSize(bytes);
  await db().consoleSetting.upsert({
    where: { key: SUPPORT_TOP_UP_LIMIT },
    create: { key: SUPPORT_TOP_UP_LIMIT, value: after, updatedById: actor.id, updatedByEmail: actor.email },
    update: { value: after, updatedById: actor.id, updatedByEmail: actor.email },
  });
  return { before, after };
}
