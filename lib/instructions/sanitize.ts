import "server-only";
import sanitizeHtml from "sanitize-html";

/**
 * Hubby's instructions are AI-generated HTML from outside: before the console shows or stores them they pass an
 * allowlist (sanitize-html), and the result is then shown in a sandboxed iframe under a CSP (lib/instructions/frame.ts).
 * What stays: text and layout markup, inline SVG drawings (the QR code), images from https:/data: (and the local
 * sandbox's origin), inline styles and <style> sheets with every resource reference checked. What goes: scripts, event
 * handlers, forms, frames, objects, <meta>, <base>, <link>, every link target (nothing in a preview may navigate),
 * javascript:/vbscript: URLs, CSS expression(), behaviours, @import and url()s outside the allowed sources.
 */

export type SanitizeOptions = {
  /** Extra origins images may load from, e.g. the built-in sandbox at http://127.0.0.1:4010. */
  imageOrigins?: readonly string[];
};

const TEXT_TAGS = [
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "p",
  "div",
  "span",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "aside",
  "nav",
  "ol",
  "ul",
  "li",
  "dl",
  "dt",
  "dd",
  "strong",
  "em",
  "b",
  "i",
  "u",
  "s",
  "small",
  "sub",
  "sup",
  "mark",
  "code",
  "kbd",
  "samp",
  "pre",
  "blockquote",
  "br",
  "hr",
  "figure",
  "figcaption",
  "table",
  "caption",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "th",
  "td",
  "a",
  "img",
  "picture",
  "style",
];

// Drawing elements only: no <a>, <use>, <image>, <foreignObject>, <animate>/<set> (which can rewrite href), <script>.
const SVG_TAGS = ["svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon"];

const SVG_ATTRIBUTES = [
  "xmlns",
  "viewbox",
  "viewBox",
  "width",
  "height",
  "version",
  "preserveaspectratio",
  "shape-rendering",
  "d",
  "x",
  "y",
  "x1",
  "y1",
  "x2",
  "y2",
  "rx",
  "ry",
  "cx",
  "cy",
  "r",
  "points",
  "transform",
  "fill",
  "fill-rule",
  "fill-opacity",
  "clip-rule",
  "stroke",
  "stroke-width",
  "stroke-linecap",
  "stroke-linejoin",
  "opacity",
];

// Raw-text and fallback containers whose text must not leak into the page as words once the tag is dropped.
const NON_TEXT_TAGS = [
  "script",
  "style",
  "textarea",
  "option",
  "noscript",
  "noembed",
  "noframes",
  "title",
  "xmp",
  "iframe",
  "template",
];

const STYLE_PROPERTIES = [
  "color",
  "background",
  "background-color",
  "border",
  "border-top",
  "border-right",
  "border-bottom",
  "border-left",
  "border-color",
  "border-width",
  "border-style",
  "border-radius",
  "margin",
  "margin-top",
  "margin-right",
  "margin-bottom",
  "margin-left",
  "padding",
  "padding-top",
  "padding-right",
  "padding-bottom",
  "padding-left",
  "font",
  "font-family",
  "font-size",
  "font-style",
  "font-weight",
  "line-height",
  "letter-spacing",
  "text-align",
  "text-decoration",
  "text-transform",
  "vertical-align",
  "white-space",
  "word-break",
  "display",
  "width",
  "min-width",
  "max-width",
  "height",
  "min-height",
  "max-height",
  "gap",
  "list-style",
  "list-style-type",
  "opacity",
];

// An inline style value may not reference anything: no functions that load (url, image-set), run (expression) or
// hide words behind escapes.
const SAFE_STYLE_VALUE =
  /^(?![\s\S]*(?:url|image-set|expression|javascript|vbscript|binding|behavior|\\|@))[^;{}<>]*$/i;

const DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|svg\+xml)[;,]/i;
const DATA_FONT = /^data:(?:font\/[a-z0-9.+-]+|application\/(?:x-)?font-[a-z0-9.+-]+)[;,]/i;

/** Whether a resource URL may be loaded by the preview: https, inline image/font data, or an allowed origin. */
export function isAllowedResourceUrl(value: string, options: SanitizeOptions & { font?: boolean } = {}): boolean {
  const url = value.trim();
  if (DATA_IMAGE.test(url) || (options.font && DATA_FONT.test(url))) return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Relative URLs would resolve against the console itself.
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (parsed.protocol === "https:") return true;
  return (options.imageOrigins ?? []).some((origin) => parsed.origin === new URL(origin).origin);
}

/** Filters a <style> sheet: no @import, no escapes, every url() checked, no expression()/behaviours/bindings. */
export function sanitizeStyleSheet(css: string, options: SanitizeOptions = {}): string {
  const kept: string[] = [];
  let out = css
    .replace(/\u0000/g, "")
    .replace(/\/\*[\s\S]*?(\*\/|$)/g, "")
    // Escapes could spell url( or expression( in disguise; "<" could end the <style> element.
    .replace(/\\(?:[0-9a-f]{1,6}\s?|[\s\S])?/gi, "")
    .replace(/</g, "")
    .replace(/@import\b[^;]*(?:;|$)/gi, "");
  out = out.replace(/url\(\s*(["']?)([^"'()\s]*)\1\s*\)/gi, (match, _quote, target: string) => {
    if (!isAllowedResourceUrl(target, { ...options, font: true })) return "none";
    kept.push(`url("${target}")`);
    return `\u0000${kept.length - 1}\u0000`;
  });
  out = out
    .replace(/\b(?:url|image-set|-webkit-image-set|expression)\s*\(/gi, "blocked(")
    .replace(/(?:-moz-binding|behavior)\s*:/gi, "blocked:")
    .replace(/(?:java|vb)script\s*:/gi, "blocked:");
  return out.replace(/\u0000(\d+)\u0000/g, (_match, index: string) => kept[Number(index)]!);
}

/**
 * The instructions HTML reduced to what may be shown: `<style>` sheets first (filtered), then the body markup.
 * A whole document (`<!doctype html><html><head>…`) comes back as that fragment; the preview frame supplies its own
 * document around it.
 */
export function sanitizeInstructionsHtml(html: string, options: SanitizeOptions = {}): string {
  const sheets: string[] = [];
  const body = sanitizeHtml(html, {
    allowedTags: [...TEXT_TAGS, ...SVG_TAGS],
    // <style> is collected below and re-emitted filtered; sanitize-html would otherwise copy it verbatim.
    allowVulnerableTags: true,
    nonTextTags: NON_TEXT_TAGS,
    disallowedTagsMode: "discard",
    allowedAttributes: {
      "*": ["class", "lang", "dir", "title", "role", "aria-*", "style"],
      img: ["src", "alt", "width", "height"],
      ol: ["start", "reversed", "type"],
      td: ["colspan", "rowspan"],
      th: ["colspan", "rowspan", "scope"],
      ...Object.fromEntries(SVG_TAGS.map((tag) => [tag, SVG_ATTRIBUTES])),
    },
    allowedSchemes: ["https"],
    allowedSchemesByTag: { img: ["https", "http", "data"] },
    allowProtocolRelative: false,
    allowedStyles: { "*": Object.fromEntries(STYLE_PROPERTIES.map((property) => [property, [SAFE_STYLE_VALUE]])) },
    transformTags: {
      // Nothing in a preview may navigate: a link keeps its text and says where it would go.
      a: (_tag, attribs) => {
        const { href, ...rest } = attribs;
        delete rest.target;
        const title = href && /^https:\/\//i.test(href.trim()) ? href.trim() : undefined;
        return { tagName: "a", attribs: { ...rest, ...(title ? { title } : {}) } };
      },
      img: (_tag, attribs) => {
        const { src, ...rest } = attribs;
        return {
          tagName: "img",
          attribs: src && isAllowedResourceUrl(src, options) ? { ...rest, src } : rest,
        };
      },
    },
    exclusiveFilter: (frame) => {
      if (frame.tag !== "style") return false;
      sheets.push(sanitizeStyleSheet(frame.text, options));
      return true;
    },
  });
  const style = sheets.filter((sheet) => sheet.trim()).join("\n");
  return `${style ? `<style>${style}</style>\n` : ""}${body.trim()}`;
}

/** Whether sanitized HTML still shows anything (text, an image or a drawing). */
export function hasVisibleContent(sanitized: string): boolean {
  const withoutStyles = sanitized.replace(/<style>[\s\S]*?<\/style>/g, "");
  return /<(img|svg)\b/i.test(withoutStyles) || withoutStyles.replace(/<[^>]*>/g, "").trim().length > 0;
}
