/**
 * The document a sanitized preview is shown in: an iframe `srcdoc` with `sandbox=""` (no scripts, no same-origin,
 * no forms, no navigation of the console) and its own Content-Security-Policy, so even markup the sanitizer missed
 * could load nothing but images, fonts and inline styles.
 */

export function previewContentSecurityPolicy(imageOrigins: readonly string[] = []): string {
  const extra = imageOrigins.map((origin) => new URL(origin).origin).join(" ");
  return [
    "default-src 'none'",
    `img-src data: https:${extra ? ` ${extra}` : ""}`,
    "style-src 'unsafe-inline'",
    "font-src data: https:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

const BASE_STYLE =
  "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5;color:#1f2937;background:#fff}" +
  "img,svg{max-width:100%;height:auto}";

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A whole HTML document around already-sanitized markup, for `<iframe srcdoc>`. */
export function previewDocument(
  sanitizedHtml: string,
  options: { lang?: string; imageOrigins?: readonly string[] } = {},
): string {
  const lang = options.lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(options.lang) ? options.lang : "en";
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(previewContentSecurityPolicy(options.imageOrigins))}">
<meta name="referrer" content="no-referrer">
<style>${BASE_STYLE}</style>
</head>
<body>
${sanitizedHtml}
</body>
</html>`;
}
