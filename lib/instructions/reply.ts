import type { Instructions } from "../hubby/schemas";

/**
 * Hubby's instructions reply is undocumented beyond "depends on format" (reference §4.5): HTML may come as
 * `{html}` or as a bare string, other formats as a text field or structured JSON. This reads whichever arrived.
 */

export type InstructionsContent =
  { kind: "html"; html: string } | { kind: "text"; text: string } | { kind: "json"; json: unknown };

export type ReportedBranding = { key: string | null; name: string | null };

const TEXT_FIELDS = ["markdown", "text", "content", "instructions"] as const;

export function readInstructions(reply: Instructions, requestedFormat: string): InstructionsContent {
  if (typeof reply === "string") {
    return requestedFormat === "html" && /<[a-z!][\s\S]*>/i.test(reply)
      ? { kind: "html", html: reply }
      : { kind: "text", text: reply };
  }
  const record = reply as Record<string, unknown>;
  if (typeof record.html === "string") return { kind: "html", html: record.html };
  for (const field of TEXT_FIELDS) {
    if (typeof record[field] === "string") return { kind: "text", text: record[field] };
  }
  return { kind: "json", json: reply };
}

/** The identity the reply says it applied, if it says (the sandbox sends `branding: {key, name}`). */
export function reportedBranding(reply: Instructions): ReportedBranding | null {
  if (typeof reply === "string") return null;
  const branding = (reply as Record<string, unknown>).branding ?? (reply as Record<string, unknown>).custom_branding;
  if (typeof branding === "string" && branding.trim()) return { key: branding.trim(), name: null };
  if (branding && typeof branding === "object") {
    const { key, name } = branding as Record<string, unknown>;
    const keyText = typeof key === "string" && key.trim() ? key.trim() : null;
    const nameText = typeof name === "string" && name.trim() ? name.trim() : null;
    if (keyText || nameText) return { key: keyText, name: nameText };
  }
  return null;
}

export function reportedLocale(reply: Instructions): string | null {
  if (typeof reply === "string") return null;
  const locale = (reply as Record<string, unknown>).locale;
  return typeof locale === "string" ? locale : null;
}
