import "server-only";
import { db } from "../db";
import { bytesToSize, sizeToBytes } from "../hubby/sizes";

/**
 * How much data a support agent may top up per traveler: at most `size` in all over a rolling window of
 * `windowHours` (so three 5 GB top-ups within a minute are refused under a 5 GB limit). An admin changes both on
 * /bookings; every change is audited.
 */
const SUPPORT_TOP_UP_LIMIT = "bookings.supportTopUpLimit";
const SUPPORT_TOP_UP_WINDOW = "bookings.supportTopUpWindowHours";
export const DEFAULT_SUPPORT_TOP_UP_LIMIT = "5GB";
export const DEFAULT_SUPPORT_TOP_UP_WINDOW_HOURS = 24;
export const SUPPORT_TOP_UP_WINDOWS = [1, 6, 12, 24, 48, 72, 168] as const;

export type SupportTopUpLimit = { size: string; bytes: number; windowHours: number };

export async function supportTopUpLimit(): Promise<SupportTopUpLimit> {
  const rows = await db().consoleSetting.findMany({
    where: { key: { in: [SUPPORT_TOP_UP_LIMIT, SUPPORT_TOP_UP_WINDOW] } },
  });
  const value = (key: string) => rows.find((row) => row.key === key)?.value;
  const stored = value(SUPPORT_TOP_UP_LIMIT);
  const size = typeof stored === "string" && sizeToBytes(stored) ? stored : DEFAULT_SUPPORT_TOP_UP_LIMIT;
  const hours = value(SUPPORT_TOP_UP_WINDOW);
  const windowHours =
    typeof hours === "number" && (SUPPORT_TOP_UP_WINDOWS as readonly number[]).includes(hours)
      ? hours
      : DEFAULT_SUPPORT_TOP_UP_WINDOW_HOURS;
  return { size, bytes: sizeToBytes(size)!, windowHours };
}

export function describeWindow(hours: number): string {
  if (hours % 24 === 0) return hours === 24 ? "24 hours" : `${hours / 24} days`;
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

export async function setSupportTopUpLimit(
  input: { size: string; windowHours: number },
  actor: { id: string; email: string },
): Promise<{ before: { size: string; windowHours: number }; after: { size: string; windowHours: number } }> {
  const bytes = sizeToBytes(input.size);
  if (!bytes) throw new Error(`Not a size: ${input.size}`);
  const current = await supportTopUpLimit();
  const after = { size: bytesToSize(bytes), windowHours: input.windowHours };
  const by = { updatedById: actor.id, updatedByEmail: actor.email };
  await db().$transaction([
    db().consoleSetting.upsert({
      where: { key: SUPPORT_TOP_UP_LIMIT },
      create: { key: SUPPORT_TOP_UP_LIMIT, value: after.size, ...by },
      update: { value: after.size, ...by },
    }),
    db().consoleSetting.upsert({
      where: { key: SUPPORT_TOP_UP_WINDOW },
      create: { key: SUPPORT_TOP_UP_WINDOW, value: after.windowHours, ...by },
      update: { value: after.windowHours, ...by },
    }),
  ]);
  return { before: { size: current.size, windowHours: current.windowHours }, after };
}
