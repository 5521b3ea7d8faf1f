import crypto from "node:crypto";
import { handledEvents, type HandledEvent } from "./envelope";

/** Realistic sample events (reference §5.1, §7) for `npm run webhook:send`, the bench and tests. */
export function sampleEvent(
  event: HandledEvent,
  ids: { externalUserId: string; bookingId: string; packageId: string },
  at: Date = new Date(),
) {
  const base = { external_user_id: ids.externalUserId, booking_id: ids.bookingId };
  const GB = 1073741824;
  const usage = (percent: number) => ({
    ...base,
    package_id: ids.packageId,
    destination: "GR",
    size: "1GB",
    package_type: "data-limited",
    used_bytes: Math.round((percent / 100) * GB),
    remaining_bytes: GB - Math.round((percent / 100) * GB),
    duration_days: 365,
    usage_percent: percent,
  });
  const departure = new Date(at.getTime() + 7 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const data: Record<HandledEvent, Record<string, unknown>> = {
    "package.usage.20_percent": usage(20),
    "package.usage.50_percent": usage(50),
    "package.usage.80_percent": usage(80),
    "esim.installed": { ...base, iccid: "8901234567890123456" },
    "esim.removed": { ...base, iccid: "8901234567890123456" },
    "package.activated": {
      ...base,
      package_id: ids.packageId,
      destination: "GR",
      size: "1GB",
      activated_at: at.toISOString(),
      expires_at: new Date(at.getTime() + 365 * 86_400_000).toISOString(),
    },
    "promo_code.redeemed": { promocode: "SUMMER2026GR", booking_id: ids.bookingId, redeemed_at: at.toISOString() },
    "booking.within_cutoff": { ...base, departure_date: departure, days_until_departure: 7, esim_installed: false },
    "booking.about_to_depart": { ...base, departure_date: departure, hours_until_departure: 2, esim_installed: true },
    "package.purchased": {
      ...base,
      package_id: ids.packageId,
      destination: "GR",
      size: "1GB",
      package_type: "data-limited",
    },
    "topup.completed": {
      ...base,
      package_id: ids.packageId,
      destination: "GR",
      size: "3GB",
      package_type: "data-limited",
    },
  };
  return {
    event_id: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
    event,
    timestamp: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    data: data[event],
  };
}

export { handledEvents };

/** The headers Hubby sends for `body`, given the receiver's settings. */
export function deliveryHeaders(
  body: string,
  settings: { apiKey: string; authHeader: string; authPrefix: string; signingSecret?: string; timestampHeader: string },
  now: number = Date.now(),
): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    [settings.authHeader]: `${settings.authPrefix}${settings.apiKey}`,
  };
  if (settings.signingSecret) {
    const timestamp = String(Math.floor(now / 1000));
    const signature = crypto.createHmac("sha256", settings.signingSecret).update(`${timestamp}.${body}`).digest("hex");
    headers[settings.timestampHeader] = timestamp;
    headers["x-hubby-signature"] = `sha256=${signature}`;
  }
  return headers;
}
