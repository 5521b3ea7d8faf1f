import { parseLpa } from "../hubby/lpa";

/**
 * How each platform installs the eSIM, from Hubby's Native and WebView guides (seeds 000 and 002): iOS 17.4+
 * installs programmatically (Apple's universal link), older iOS scans a QR code of the LPA string, Android uses the
 * SM-DP+ address and matching id from the LPA string (or Google's esimsetup link). With the traveler's LPA string
 * the notes carry their actual values.
 */

export type PlatformNote = {
  title: string;
  body: string;
  /** Label → value pairs to show in monospace (URLs, addresses, codes). */
  values: { label: string; value: string }[];
};

const LPA_TEMPLATE = "LPA:1$<SM-DP+ address>$<matching id>";

function versionParts(version: string): [number, number] | null {
  const match = /^(\d+)(?:\.(\d+))?/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : null;
}

/** iOS 17.4 and later install from Apple's universal link (Carrier Provisioning). */
export function installsProgrammatically(phoneOs: string, osVersion: string): boolean {
  if (phoneOs.toLowerCase() !== "ios") return false;
  const parts = versionParts(osVersion);
  return parts !== null && (parts[0] > 17 || (parts[0] === 17 && parts[1] >= 4));
}

export function provisioningUrl(platform: "ios" | "android", lpa: string): string {
  const host = platform === "ios" ? "esimsetup.apple.com" : "esimsetup.android.com";
  return `https://${host}/esim_qrcode_provisioning?carddata=${lpa === LPA_TEMPLATE ? lpa : encodeURIComponent(lpa)}`;
}

export function platformNote(input: {
  phoneOs: string;
  osVersion: string;
  lpa?: string | null;
  /** Says why the traveler's LPA string is not shown. */
  withoutLpa?: string;
}): PlatformNote {
  const lpa = input.lpa?.trim() || null;
  const parsed = lpa ? parseLpa(lpa) : null;
  const shown = lpa ?? LPA_TEMPLATE;
  const whose = lpa
    ? "the traveler's"
    : `the traveler's (${input.withoutLpa ?? "not known: the traveler has no eSIM yet, or Hubby could not be asked"})`;
  const lpaValue = { label: lpa ? "LPA string (current_esim.qr)" : "LPA string", value: shown };
  const parts = parsed
    ? [
        { label: "SM-DP+ address", value: parsed.smdpAddress },
        { label: "Matching id", value: parsed.matchingId },
      ]
    : [];

  if (input.phoneOs.toLowerCase() === "android") {
    return {
      title: "Android: SM-DP+ address and matching id",
      body:
        `Android installs from the SM-DP+ address and matching id parsed from ${whose} LPA string (the ` +
        "ACTION_EMBEDDED_SUBSCRIPTION_PROVISIONING intent), or from Google's esimsetup.android.com link, which an " +
        "app or WebView must hand to the system (Intent ACTION_VIEW); loaded as a web page it fails silently.",
      values: [lpaValue, ...parts, { label: "Install link", value: provisioningUrl("android", shown) }],
    };
  }
  if (installsProgrammatically(input.phoneOs, input.osVersion)) {
    return {
      title: "iOS 17.4 and later: one-tap install",
      body:
        `iOS ${input.osVersion} installs the eSIM programmatically: the app opens Apple's universal link with ${whose} ` +
        "LPA string (Carrier Provisioning), and the traveler never scans a code. A WebView must hand the link to the " +
        "system (UIApplication.open); loaded as a web page it fails silently.",
      values: [lpaValue, { label: "Install link", value: provisioningUrl("ios", shown) }],
    };
  }
  return {
    title: "iOS before 17.4: scan a QR code",
    body:
      `iOS ${input.osVersion} cannot install from a link: the traveler scans a QR code of ${whose} LPA string ` +
      "(Settings › Mobile Data › Add eSIM › Use QR Code) shown on another screen, or enters the SM-DP+ address and " +
      "activation code by hand.",
    values: [lpaValue, ...parts],
  };
}
