import type { PackageQueue, UserDashboard } from "../hubby/schemas";

/**
 * Hubby's dashboard packages and queue entries in the console's terms. Hubby's documented package shape is loose
 * (ids, bytes and dates are extensions some deployments send), so every field may be missing.
 */

export type LivePackage = {
  id: string | null;
  bookingId: string | null;
  destination: string | null;
  status: string | null;
  totalBytes: number | null;
  usedBytes: number | null;
  activatedAt: string | null;
  /** Whether the reply says when it was activated at all (`date_activated`, only in the redeem variant, §4.5). */
  reportsActivation: boolean;
  assignedAt: string | null;
  expiresAt: string | null;
};

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);
const date = (value: unknown) =>
  typeof value === "string" && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null;

export function livePackages(dashboard: UserDashboard): LivePackage[] {
  return dashboard.current_esim_packages.map((pkg) => ({
    id: text(pkg.id),
    bookingId: text(pkg.booking_id),
    destination: text(pkg.destination) ?? text(pkg.destination_iso3) ?? text(pkg.destination_bundle),
    status: text(pkg.status),
    totalBytes: count(pkg.total_bytes),
    usedBytes: count(pkg.used_bytes),
    activatedAt: date(pkg.date_activated),
    reportsActivation: "date_activated" in pkg,
    assignedAt: date(pkg.assigned_at),
    expiresAt: date(pkg.expires_at),
  }));
}

const GIB = 1_073_741_824;
export const gigabytes = (bytes: number) => `${(bytes / GIB).toFixed(bytes % GIB === 0 ? 0 : 2)} GB`;

/** "IT · 3 GB", for a queue entry. */
export function queueLabel(queue: PackageQueue): string {
  const spec = queue.package_specification;
  return [text(spec?.destination) ?? spec?.iso3 ?? "?", spec?.bytes ? gigabytes(spec.bytes) : null]
    .filter(Boolean)
    .join(" · ");
}
