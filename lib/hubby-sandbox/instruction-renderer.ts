import QRCode from "qrcode";
import { z } from "zod";
import { parseLpa } from "../hubby/lpa";
import german from "./instruction-copy/de.json";
import english from "./instruction-copy/en.json";
import spanish from "./instruction-copy/es.json";
import french from "./instruction-copy/fr.json";
import italian from "./instruction-copy/it.json";
import dutch from "./instruction-copy/nl.json";
import portuguese from "./instruction-copy/pt.json";
import { brandFromDeviceName, supportsProgrammaticInstall } from "./device-models";

/**
 * Installation instructions for `POST /api/native/instructions` (reference §4.5), standing in for Hubby's
 * AI-generated ones: steps for the traveler's OS, OS version and phone maker, in their language (en, es, fr, de, nl,
 * it, pt; English otherwise), in the partner's branding. Output is deterministic and has no scripts; every value
 * from outside is escaped, colours and fonts are validated, and a logo is used only from an http(s) URL.
 */

// ── Request body ────────────────────────────────────────────────────────────────────────────────────────────

const requiredText = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
    .trim()
    .min(1, "is required")
    .max(max, `must be at most ${max} characters`);

const lowerCaseEnum = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .string({ error: message })
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(values, { error: message }));

export const instructionsInputSchema = z.object({
  format: lowerCaseEnum(["html", "json", "markdown"], "must be html, json or markdown").default("html"),
  external_user_id: requiredText(200),
  device_name: requiredText(100),
  device_type: lowerCaseEnum(["phone", "tablet", "watch"], "must be phone, tablet or watch").default("phone"),
  phone_os: z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be ios or android") })
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(["ios", "android"], { error: "must be ios or android" })),
  os_version: z
    .union([z.string(), z.number()], {
      error: (issue) => (issue.input === undefined ? "is required" : "must be a version such as 17.4 or 15"),
    })
    .transform((value) => String(value).trim())
    .pipe(z.string().regex(/^\d{1,3}(\.\d{1,3}){0,2}$/, "must be a version such as 17.4 or 15")),
  locale: z
    .string({ error: "must be a language tag such as en or en-GB" })
    .trim()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, "must be a language tag such as en or en-GB")
    .optional(),
  // Not in Hubby's documented body (it resolves the branding from the traveler); the sandbox lets a brand key be
  // previewed before a booking carries it.
  custom_branding: z.string({ error: "must be a string" }).trim().max(100, "must be at most 100 characters").optional(),
});
export type InstructionsRequest = z.infer<typeof instructionsInputSchema>;

// ── Render input ────────────────────────────────────────────────────────────────────────────────────────────

export type InstructionsBranding = {
  name: string;
  primary_color?: string | null;
  secondary_color?: string | null;
  logo?: string | null;
  font?: string | null;
};

export type InstructionsRenderInput = {
  device_name: string;
  /** "phone" (default), "tablet" or "watch". */
  device_type?: string;
  /** "ios" or "android", in any case. */
  phone_os: string;
  os_version: string | number;
  /** "en-US", "es", "mk-MK"…; the language part picks the text. */
  locale?: string | null;
  branding: InstructionsBranding;
  /** The traveler's universal eSIM; `status` INSTALLED or ENABLED skips the installation steps. */
  esim: { iccid: string; qr: string; status?: string } | null;
};

// ── Text ────────────────────────────────────────────────────────────────────────────────────────────────────

type Platform = "ios" | "samsung" | "android";
type PlatformMenus = { add: string[]; manual: string; data: string[]; roaming: string[] };
type Menus = Record<Platform, PlatformMenus> & { iosLegacyAdd: string[] };
type Titled = { title: string; body: string };

/**
 * The words of one language, kept as data in instruction-copy/<language>.json. `{device}`, `{path}` and `{option}`
 * in a text are filled in when the steps are built (fillIn).
 */
type Copy = {
  title: string;
  intro: string;
  installed: string;
  noEsim: string;
  watch: string;
  wifi: Titled;
  oneTap: Titled;
  button: string;
  scan: Titled;
  manualTitle: string;
  fallbackTitle: string;
  manualBody: string;
  smdp: string;
  code: string;
  qrLabel: string;
  label: Titled;
  data: Titled;
  roaming: Titled;
  keep: Titled;
  iccid: string;
  menus: Menus;
};

const fillIn = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);

// Outside North America, English iPhones say "Mobile Data" where American ones say "Cellular".
const britishEnglish: Copy = {
  ...english,
  menus: {
    ...english.menus,
    ios: {
      ...english.menus.ios,
      add: ["Settings", "Mobile Data", "Add eSIM", "Use QR Code"],
      data: ["Settings", "Mobile Data", "Mobile Data"],
      roaming: ["Settings", "Mobile Data", "Travel", "Data Roaming"],
    },
    iosLegacyAdd: ["Settings", "Mobile Data", "Add Data Plan"],
  },
};

const copies: Record<string, Copy> = {
  en: english,
  "en-GB": britishEnglish,
  es: spanish,
  fr: french,
  de: german,
  nl: dutch,
  it: italian,
  pt: portuguese,
};

/**
 * The text to use for a locale, matched on its language ("es-ES" → "es"; "mk-MK" → "en"). English outside the
 * US and Canada gets British iPhone menu names ("en-GB").
 */
export function languageFor(locale: string | null | undefined): string {
  const [language = "", region = ""] = (locale ?? "").trim().split(/[-_]/);
  const lang = language.toLowerCase();
  if (lang === "en") return region && !["US", "CA"].includes(region.toUpperCase()) ? "en-GB" : "en";
  return copies[lang] ? lang : "en";
}

// ── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────

type Step = {
  title: string;
  body: string;
  link?: { href: string; label: string };
  /** The LPA string to show as a QR code. */
  qr?: string;
  manual?: { smdpAddress: string; matchingId: string };
};

type Instructions = { language: string; copy: Copy; intro: string; steps: Step[] };

const menuPath = (labels: string[]) => labels.join(" › ");
const isWatch = (input: InstructionsRenderInput) => input.device_type?.trim().toLowerCase() === "watch";

function majorVersion(version: string | number): number {
  return Number(/\d+/.exec(String(version))?.[0] ?? 0);
}

function buildInstructions(input: InstructionsRenderInput): Instructions {
  const language = languageFor(input.locale);
  const copy = copies[language]!;
  const device = input.device_name.trim();
  const os = /^i(pad)?os$/i.test(input.phone_os.trim()) ? "ios" : "android";
  const brand = brandFromDeviceName(device);
  const platform: Platform = os === "ios" ? "ios" : brand === "Samsung" ? "samsung" : "android";
  const menus = copy.menus[platform];
  const afterInstall: Step[] = [
    { title: copy.data.title, body: fillIn(copy.data.body, { path: menuPath(menus.data) }) },
    { title: copy.roaming.title, body: fillIn(copy.roaming.body, { path: menuPath(menus.roaming) }) },
    copy.keep,
  ];

  if (isWatch(input)) return { language, copy, intro: copy.watch, steps: [] };
  if (!input.esim) return { language, copy, intro: copy.noEsim, steps: [] };
  if (["INSTALLED", "ENABLED"].includes(input.esim.status?.toUpperCase() ?? "")) {
    return { language, copy, intro: fillIn(copy.installed, { device }), steps: afterInstall };
  }

  const lpa = input.esim.qr.trim();
  const manual = parseLpa(lpa);
  // iOS before 16 called the screen "Add Cellular Plan".
  const addPath = menuPath(os === "ios" && majorVersion(input.os_version) < 16 ? copy.menus.iosLegacyAdd : menus.add);
  const steps: Step[] = [copy.wifi];
  if (supportsProgrammaticInstall(os, input.os_version, os === "android" ? brand : undefined)) {
    const host = os === "ios" ? "esimsetup.apple.com" : "esimsetup.android.com";
    const href = `https://${host}/esim_qrcode_provisioning?carddata=${encodeURIComponent(lpa)}`;
    steps.push({ ...copy.oneTap, link: { href, label: copy.button } });
    if (manual)
      steps.push({
        title: copy.fallbackTitle,
        body: fillIn(copy.manualBody, { path: addPath, option: menus.manual }),
        manual,
      });
  } else {
    steps.push({ title: copy.scan.title, body: fillIn(copy.scan.body, { path: addPath }), qr: lpa });
    if (manual)
      steps.push({
        title: copy.manualTitle,
        body: fillIn(copy.manualBody, { path: addPath, option: menus.manual }),
        manual,
      });
  }
  steps.push(copy.label, ...afterInstall);
  return { language, copy, intro: fillIn(copy.intro, { device }), steps };
}

// ── JSON ────────────────────────────────────────────────────────────────────────────────────────────────────

export type InstructionsJson = {
  locale: string;
  title: string;
  intro: string;
  steps: { title: string; body: string; qr?: string; smdp_address?: string; activation_code?: string }[];
  links: { href: string; label: string }[];
  iccid: string | null;
};

/** The same content as the HTML, for apps that render it themselves (`format: "json"`). */
export function renderInstructionsJson(input: InstructionsRenderInput): InstructionsJson {
  const { language, copy, intro, steps } = buildInstructions(input);
  return {
    locale: language,
    title: copy.title,
    intro,
    steps: steps.map((step) => ({
      title: step.title,
      body: step.body,
      ...(step.qr ? { qr: step.qr } : {}),
      ...(step.manual ? { smdp_address: step.manual.smdpAddress, activation_code: step.manual.matchingId } : {}),
    })),
    links: steps.flatMap((step) => (step.link ? [step.link] : [])),
    iccid: input.esim?.iccid ?? null,
  };
}

/** The same content as Markdown (`format: "markdown"`). */
export function renderInstructionsMarkdown(input: InstructionsRenderInput): string {
  const json = renderInstructionsJson(input);
  const lines = [`# ${json.title}`, "", json.intro, ""];
  json.steps.forEach((step, index) => {
    lines.push(`${index + 1}. **${step.title}**`, `   ${step.body}`);
    if (step.smdp_address) lines.push(`   - SM-DP+: \`${step.smdp_address}\``);
    if (step.activation_code) lines.push(`   - Code: \`${step.activation_code}\``);
    if (step.qr) lines.push(`   - QR: \`${step.qr}\``);
  });
  for (const link of json.links) lines.push("", `[${link.label}](${link.href})`);
  if (json.iccid) lines.push("", `ICCID: \`${json.iccid}\``);
  return `${lines.join("\n")}\n`;
}

// ── HTML ────────────────────────────────────────────────────────────────────────────────────────────────────

const DEFAULT_PRIMARY = "#0f766e";
const DEFAULT_SECONDARY = "#f59e0b";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function safeColour(value: string | null | undefined, fallback: string): string {
  return value && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value.trim()) ? value.trim().toLowerCase() : fallback;
}

/** Black or white, whichever reads better on the colour (WCAG relative luminance). */
function textColourOn(hex: string): string {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join("") : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const channel = Number.parseInt(digits.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 0.179 ? "#000000" : "#ffffff";
}

// Font names go into CSS, so only plain names pass.
function safeFont(value: string | null | undefined): string | undefined {
  return value && /^[A-Za-z0-9][A-Za-z0-9 -]{0,39}$/.test(value.trim()) ? value.trim() : undefined;
}

function safeLogoUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

async function stepHtml(step: Step, copy: Copy): Promise<string> {
  const parts = [`<h2>${escapeHtml(step.title)}</h2>`, `<p>${escapeHtml(step.body)}</p>`];
  if (step.link) {
    parts.push(`<p><a class="button" href="${escapeHtml(step.link.href)}">${escapeHtml(step.link.label)}</a></p>`);
  }
  if (step.qr) {
    // qrcode draws the SVG from module data only; the LPA text itself never reaches the markup.
    const svg = await QRCode.toString(step.qr, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
    parts.push(`<figure class="qr" role="img" aria-label="${escapeHtml(copy.qrLabel)}">${svg.trim()}</figure>`);
  }
  if (step.manual) {
    parts.push(
      `<dl><dt>${escapeHtml(copy.smdp)}</dt><dd><code>${escapeHtml(step.manual.smdpAddress)}</code></dd>` +
        `<dt>${escapeHtml(copy.code)}</dt><dd><code>${escapeHtml(step.manual.matchingId)}</code></dd></dl>`,
    );
  }
  return `<li>${parts.join("")}</li>`;
}

// Nothing may load or run: only inline styles and images (the logo, from http(s)).
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STATIC_CSS = `* { box-sizing: border-box; }
body { margin: 0; line-height: 1.5; color: #1f2937; background: #fff; }
header { display: flex; align-items: center; gap: 12px; padding: 16px 20px; border-bottom: 4px solid var(--brand-secondary); }
header img { max-height: 40px; max-width: 200px; }
main { max-width: 600px; margin: 0 auto; padding: 20px; }
h1 { margin: 0 0 8px; font-size: 1.5rem; color: var(--brand-primary); }
h2 { margin: 0 0 4px; font-size: 1.05rem; }
ol { list-style: none; counter-reset: step; padding: 0; }
li { counter-increment: step; position: relative; margin: 0 0 20px; padding-left: 44px; }
li::before {
  content: counter(step); position: absolute; left: 0; top: 0; width: 30px; height: 30px; border-radius: 50%;
  display: flex; align-items: center; justify-content: center; font-weight: 700;
  background: var(--brand-secondary); color: var(--brand-on-secondary);
}
.button {
  display: inline-block; padding: 12px 20px; border-radius: 10px; font-weight: 600; text-decoration: none;
  background: var(--brand-primary); color: var(--brand-on-primary);
}
.qr { margin: 8px 0; width: 220px; max-width: 100%; }
.qr svg { display: block; width: 100%; height: auto; }
dl { margin: 8px 0; } dt { font-weight: 600; } dd { margin: 0 0 8px; }
code { font-size: .95em; word-break: break-all; background: #f3f4f6; padding: 2px 6px; border-radius: 4px; }
.iccid { color: #6b7280; font-size: .875rem; }`;

/** A standalone, branded HTML page of the instructions. */
export async function renderInstructionsHtml(input: InstructionsRenderInput): Promise<string> {
  const { language, copy, intro, steps } = buildInstructions(input);
  const primary = safeColour(input.branding.primary_color, DEFAULT_PRIMARY);
  const secondary = safeColour(input.branding.secondary_color, DEFAULT_SECONDARY);
  const font = safeFont(input.branding.font);
  const logo = safeLogoUrl(input.branding.logo);
  const brandName = escapeHtml(input.branding.name);
  const items = await Promise.all(steps.map((step) => stepHtml(step, copy)));

  const iccid =
    input.esim && !isWatch(input)
      ? `<p class="iccid">${escapeHtml(copy.iccid)}: <code>${escapeHtml(input.esim.iccid)}</code></p>`
      : "";

  return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${escapeHtml(copy.title)}${brandName ? ` · ${brandName}` : ""}</title>
<style>
:root {
  --brand-primary: ${primary};
  --brand-on-primary: ${textColourOn(primary)};
  --brand-secondary: ${secondary};
  --brand-on-secondary: ${textColourOn(secondary)};
}
body { font-family: ${font ? `"${font}", ` : ""}system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
${STATIC_CSS}
</style>
</head>
<body>
<header>${logo ? `<img src="${escapeHtml(logo)}" alt="${brandName}">` : `<strong>${brandName}</strong>`}</header>
<main>
<h1>${escapeHtml(copy.title)}</h1>
<p>${escapeHtml(intro)}</p>
${items.length ? `<ol>\n${items.join("\n")}\n</ol>` : ""}
${iccid}
</main>
</body>
</html>
`;
}
