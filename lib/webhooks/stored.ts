import "server-only";
import { db } from "../db";

/**
 * A stored event with its body as the text received (docs/decisions/0063): "body", a `json` column, keeps JSON
 * bodies verbatim but Prisma would hand it back parsed (reformatted), so it is read as "body"::text; other bodies
 * are in rawBody (a readable rendering when rawBytes holds the exact bytes). Found by id alone: ids are unique
 * across the monthly partitions (one sequence).
 */
export async function findStoredEvent(id: bigint) {
  const found = await db().webhookEvent.findFirst({ where: { id }, omit: { body: true } });
  if (!found) return null;
  const [stored] = await db().$queryRaw<{ body: string | null }[]>`
    SELECT "body"::text AS body FROM "WebhookEvent" WHERE "id" = ${id} AND "receivedAt" = ${found.receivedAt}`;
  return { ...found, rawBody: stored?.body ?? found.rawBody ?? "" };
}

/** SQL for an event row's body as text, whichever column holds it (alias: the table's alias, with its dot). */
export const bodyTextSql = (alias = "") => `COALESCE(${alias}"body"::text, ${alias}"rawBody")`;
