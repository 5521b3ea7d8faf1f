/**
 * The choices of an instructions preview and its label: what the preview panel needs in the browser. No zod here
 * (the schemas in ./schemas.ts stay on the server; tests/e2e/page-weight.test.ts fails on zod in a browser chunk).
 */

export const DEVICE_TYPES = ["phone", "tablet", "watch"] as const;
export const PHONE_OSES = ["ios", "android"] as const;
export const INSTRUCTION_FORMATS = ["html", "json", "markdown"] as const;

export const phoneOsLabels: Record<(typeof PHONE_OSES)[number], string> = { ios: "iOS", android: "Android" };

/** A short label for one preview, e.g. "Apple iPhone 15 Pro · iOS 17.4 · de-DE". */
export function previewLabel(inputs: {
  device: string;
  phoneOs: (typeof PHONE_OSES)[number];
  osVersion: string;
  locale: string;
}): string {
  return `${inputs.device} · ${phoneOsLabels[inputs.phoneOs]} ${inputs.osVersion} · ${inputs.locale}`;
}
