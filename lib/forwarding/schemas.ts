import { z } from "zod";

/** The endpoint form: every field as the screen sends it (text), read into what the database keeps. */

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Headers the console sets itself: a custom header may not replace them. */
const RESERVED_HEADERS = new Set([
  "content-type",
  "content-length",
  "host",
  "connection",
  "transfer-encoding",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
]);

const checkbox = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());

/** One event type per line or comma; empty means every type, including ones Hubby adds later. */
const eventTypes = z.preprocess(
  (value) =>
    typeof value === "string" ? [...new Set(value.split(/[\s,]+/).filter(Boolean))] : Array.isArray(value) ? value : [],
  z.array(z.string().regex(/^[A-Za-z0-9_.*-]{1,200}$/, "Event types are names such as package.activated")).max(100),
);

/** `Name: value` per line. */
const headers = z.preprocess(
  (value) => (typeof value === "string" ? value : ""),
  z.string().transform((text, ctx) => {
    const result: Record<string, string> = {};
    for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
      if (!line) continue;
      const colon = line.indexOf(":");
      const name = colon > 0 ? line.slice(0, colon).trim() : "";
      const headerValue = colon > 0 ? line.slice(colon + 1).trim() : "";
      if (!HEADER_NAME.test(name) || /[\r\n\0]/.test(headerValue)) {
        ctx.addIssue({ code: "custom", message: `"${line.slice(0, 60)}" is not a "Name: value" header` });
        return z.NEVER;
      }
      if (RESERVED_HEADERS.has(name.toLowerCase())) {
        ctx.addIssue({ code: "custom", message: `${name} is set by the console and cannot be replaced` });
        return z.NEVER;
      }
      result[name] = headerValue;
    }
    if (Object.keys(result).length > 20) {
      ctx.addIssue({ code: "custom", message: "At most 20 custom headers" });
      return z.NEVER;
    }
    return result;
  }),
);

export const endpointInputSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, "Enter the endpoint's URL")
    .max(2_000)
    .pipe(z.url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL" })),
  description: z.string().trim().max(500).default(""),
  eventTypes,
  enabled: checkbox,
  ordered: checkbox,
  rateLimitPerSecond: z.preprocess(
    (value) => (value === "" || value === undefined || value === null ? null : value),
    z.coerce.number().int("A whole number").min(1, "At least 1 per second").max(10_000).nullable(),
  ),
  headers,
});
export type EndpointInput = z.output<typeof endpointInputSchema>;
