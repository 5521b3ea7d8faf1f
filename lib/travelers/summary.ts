/**
 * The plain-text "support summary" staff paste into an escalation ticket. Pure, so its layout is tested; the data
 * comes from lib/travelers/traveler.ts.
 */

export type SummaryInput = {
  externalUserId: string;
  generatedAt: string;
  generatedBy: string;
  /** The console's deep link to this traveler, when the caller knows it. */
  link: string | null;
  /** Where the eSIM and package state come from, and as of when. */
  source: { kind: "live"; at: string } | { kind: "stored"; at: string | null; reason: string };
  iccid: string | null;
  esimStatus: string | null;
  /** The eSIM's data left of its total, as the live dashboard said (null when it did not, or was not asked). */
  esimData: { leftBytes: number; totalBytes: number; usedPercent: number; at: string } | null;
  bookings: { bookingId: string; departureDate: string | null; departsAt: string | null }[];
  /** null when the queue is unknown (Hubby could not be asked). */
  queue: { id: string; label: string; createdAt: string | null; redeemedAt: string | null }[] | null;
  packages: {
    id: string;
    destination: string | null;
    status: string | null;
    usagePercent: number | null;
    usedBytes: number | null;
    totalBytes: number | null;
    activatedAt: string | null;
    expiresAt: string | null;
  }[];
  gaps: { at: string; message: string }[];
  /** The latest webhook events, newest first. */
  events: { at: string; type: string; detail: string | null }[];
  /** The latest calls to Hubby for this traveler, newest first. */
  hubbyCalls: { at: string; endpoint: string; status: number | null; requestId: string }[];
};

const GIB = 1_073_741_824;
const utc = (iso: string | null) => (iso ? `${new Date(iso).toISOString().replace("T", " ").slice(0, 16)} UTC` : "—");
const gb = (bytes: number) => `${(bytes / GIB).toFixed(2)} GB`;

function usage(pkg: SummaryInput["packages"][number]): string {
  if (pkg.usedBytes !== null && pkg.totalBytes) {
    return `${gb(pkg.usedBytes)} of ${gb(pkg.totalBytes)} used (${Math.round((pkg.usedBytes / pkg.totalBytes) * 100)}%)`;
  }
  return pkg.usagePercent !== null ? `${pkg.usagePercent}% used` : "usage unknown";
}

export function supportSummaryText(input: SummaryInput): string {
  const lines: string[] = [];
  lines.push(`Hubby traveler support summary: ${input.externalUserId}`);
  lines.push(`Generated ${utc(input.generatedAt)} by ${input.generatedBy}`);
  if (input.link) lines.push(`Console: ${input.link}`);
  lines.push(
    input.source.kind === "live"
      ? `State: live from Hubby, fetched ${utc(input.source.at)}`
      : `State: stored by the console, last updated ${utc(input.source.at)} (Hubby not asked: ${input.source.reason})`,
  );
  lines.push("");
  lines.push(`external_user_id: ${input.externalUserId}`);
  lines.push(`ICCID: ${input.iccid ?? "—"}`);
  lines.push(`eSIM status: ${input.esimStatus ?? "unknown"}`);
  if (input.esimData) {
    const data = input.esimData;
    lines.push(
      `Data left: ${gb(data.leftBytes)} of ${gb(data.totalBytes)} (${data.usedPercent}% used), as of ${utc(data.at)}`,
    );
  }

  lines.push("", `Bookings (${input.bookings.length}):`);
  if (input.bookings.length === 0) lines.push("  none recorded");
  for (const booking of input.bookings) {
    lines.push(
      `  ${booking.bookingId}: departure ${booking.departureDate ?? "unknown"}` +
        (booking.departsAt ? ` (${utc(booking.departsAt)})` : ""),
    );
  }

  if (input.queue === null) {
    lines.push("", "Package queue: unknown (needs Hubby)");
  } else {
    lines.push("", `Package queue (${input.queue.length}):`);
    if (input.queue.length === 0) lines.push("  nothing queued");
    for (const entry of input.queue) {
      lines.push(
        `  ${entry.id}: ${entry.label}, queued ${utc(entry.createdAt)}, ` +
          (entry.redeemedAt ? `redeemed ${utc(entry.redeemedAt)}` : "not redeemed"),
      );
    }
  }

  lines.push("", `Packages (${input.packages.length}):`);
  if (input.packages.length === 0) lines.push("  none");
  for (const pkg of input.packages) {
    lines.push(
      `  ${pkg.id}: ${pkg.destination ?? "?"}, ${pkg.status ?? "status unknown"}, ${usage(pkg)}, ` +
        `activated ${utc(pkg.activatedAt)}, expires ${utc(pkg.expiresAt)}`,
    );
  }

  if (input.gaps.length > 0) {
    lines.push("", `Gaps (${input.gaps.length}):`);
    for (const gap of input.gaps) lines.push(`  ${utc(gap.at)}  ${gap.message}`);
  }

  lines.push("", `Last ${input.events.length} events:`);
  if (input.events.length === 0) lines.push("  none received");
  for (const event of input.events) {
    lines.push(`  ${utc(event.at)}  ${event.type}${event.detail ? `  ${event.detail}` : ""}`);
  }

  lines.push("", "Recent Hubby calls (request ids):");
  if (input.hubbyCalls.length === 0) lines.push("  none");
  for (const call of input.hubbyCalls) {
    lines.push(`  ${utc(call.at)}  ${call.endpoint}  ${call.status ?? "no response"}  request ${call.requestId}`);
  }
  return lines.join("\n");
}
