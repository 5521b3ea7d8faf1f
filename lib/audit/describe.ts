/**
 * Audit details as people read them: the JSON an action recorded, flattened into labelled lines, with the ids of staff
 * and campaigns replaced by their names. Pure (the names come in as a map), so the list's one-line summary and the
 * detail page say the same thing.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids of staff, campaigns and the like, resolved to what people call them ("Ada Admin"). */
export type NameLookup = ReadonlyMap<string, string>;

export type DetailLine = { label: string; value: string };

/** "retryAfterSeconds" → "Retry after seconds", "checked_rows" → "Checked rows". */
export function humanLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

/** Every id-shaped string anywhere in the details, for one lookup of their names. */
export function idsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === "string" && UUID.test(value)) found.add(value.toLowerCase());
  else if (Array.isArray(value)) for (const item of value) idsIn(item, found);
  else if (value && typeof value === "object") for (const item of Object.values(value)) idsIn(item, found);
  return found;
}

/** An id with its name when it is known ("Ada Admin (3f2a…)"), the id alone otherwise. */
export function named(id: string, names: NameLookup): string {
  const name = names.get(id.toLowerCase());
  return name ? `${name} (${id.slice(0, 8)}…)` : id;
}

function scalar(value: unknown, names: NameLookup): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return UUID.test(value) ? named(value, names) : value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

/**
 * One line per leaf of the details: nested objects as "Parent › child", lists of plain values joined with commas,
 * lists of objects one line per item ("Changes 1 › field"). A value that is not an object is one line "Details".
 */
export function detailLines(details: unknown, names: NameLookup = new Map()): DetailLine[] {
  const lines: DetailLine[] = [];
  const walk = (value: unknown, label: string) => {
    if (Array.isArray(value)) {
      if (value.every((item) => item === null || typeof item !== "object")) {
        lines.push({ label, value: value.length === 0 ? "none" : value.map((item) => scalar(item, names)).join(", ") });
      } else {
        value.forEach((item, index) => walk(item, `${label} ${index + 1}`));
      }
    } else if (value && typeof value === "object") {
      const entries = Object.entries(value);
      if (entries.length === 0) lines.push({ label, value: "none" });
      for (const [key, item] of entries) walk(item, label ? `${label} › ${humanLabel(key)}` : humanLabel(key));
    } else {
      lines.push({ label: label || "Details", value: scalar(value, names) });
    }
  };
  if (details === null || details === undefined) return lines;
  walk(details, "");
  return lines;
}

/** The details on one line for the list ("Reason: forbidden · Role: support"), cut at `max` characters. */
export function detailSummary(details: unknown, names: NameLookup = new Map(), max = 140): string {
  const text = detailLines(details, names)
    .map((line) => `${line.label}: ${line.value}`)
    .join(" · ")
    .replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * What an entry acted on, in words: the traveler's id, or the target's name when it is a staff member or a campaign
 * ("staff Ada Admin"); `title` keeps the raw type and id for a tooltip.
 */
export function auditTarget(
  entry: { targetType: string | null; targetId: string | null; externalUserId: string | null },
  names: NameLookup,
): { text: string; title?: string } {
  const raw = entry.targetType ? `${entry.targetType} ${entry.targetId ?? ""}`.trim() : undefined;
  if (entry.externalUserId) return { text: entry.externalUserId, title: raw };
  if (!entry.targetType) return { text: "—" };
  const name = entry.targetId ? names.get(entry.targetId.toLowerCase()) : undefined;
  return {
    text: `${humanLabel(entry.targetType).toLowerCase()} ${name ?? entry.targetId ?? ""}`.trim(),
    title: raw,
  };
}
