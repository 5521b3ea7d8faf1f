/**
 * Hubby's package sizes (reference §4.1): `500MB`, `1GB`, `1.5GB`, counted in binary units as Hubby's bundles count
 * bytes. One place for the console's booking form, its limits and the sandbox's catalogue.
 */

/** Hubby's size pattern (reference §4.1). */
export const SIZE_PATTERN = /^[0-9]\d*(\.\d+)?(MB|GB)$/;

export const MB = 1024 ** 2;
export const GB = 1024 ** 3;

/** `"1GB"` → 1073741824, `"500MB"` → 524288000, `"1.5GB"` → 1610612736; anything off Hubby's pattern → undefined. */
export function sizeToBytes(size: string): number | undefined {
  const match = /^([0-9]\d*(?:\.\d+)?)(MB|GB)$/.exec(size);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (match[2] === "GB" ? GB : MB));
}

/** 1073741824 → "1GB", 524288000 → "500MB", 1610612736 → "1.5GB" (at most two decimals). */
export function bytesToSize(bytes: number): string {
  if (bytes >= GB) return `${Number((bytes / GB).toFixed(2))}GB`;
  return `${Number((bytes / MB).toFixed(2))}MB`;
}
