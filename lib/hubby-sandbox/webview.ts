import QRCode from "qrcode";
import type { Sandbox } from "./sandbox";
import type { DashboardView } from "./reply-shapes";
import type { Traveler } from "./world";

/**
 * The partner's visual identity (reference §6.6) with its custom_branding sub-brands, and a small stand-in for
 * the Hubby WebView (app.hubbyesim.com?t=…) so "open the traveler's WebView" works against the sandbox.
 */

type Brand = { name: string; primary_color: string; secondary_color: string; font: string };

const brands: Record<string, Brand> = {
  default: { name: "Demo Travel Co", primary_color: "#0F766E", secondary_color: "#F59E0B", font: "system-ui" },
  brand_luxury_travel: { name: "Luxury Travel", primary_color: "#1F2937", secondary_color: "#C9A227", font: "Georgia" },
  "your-brand": { name: "Your Brand", primary_color: "#FF5733", secondary_color: "#33FF57", font: "Roboto" },
};

/** The brand for a custom_branding key, with the key actually applied (unknown keys get the partner's default). */
export function brandFor(sandbox: Sandbox, key: string | null | undefined) {
  const id = key && Object.hasOwn(brands, key) ? key : "default";
  const brand = brands[id]!;
  return { ...brand, key: id, logo: `${sandbox.url}/assets/logo-${id}.svg` };
}

export function logoSvg(key: string): string {
  const brand = brands[key] ?? brands.default!;
  const initials = brand.name
    .split(" ")
    .map((word) => word[0])
    .join("")
    .slice(0, 2);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40" role="img" aria-label="${escapeHtml(brand.name)}"><rect width="40" height="40" rx="8" fill="${brand.primary_color}"/><text x="20" y="26" font-family="sans-serif" font-size="16" font-weight="700" fill="#fff" text-anchor="middle">${escapeHtml(initials)}</text><text x="50" y="26" font-family="sans-serif" font-size="14" fill="${brand.primary_color}">${escapeHtml(brand.name)}</text></svg>`;
}

export function renderWebViewError(message: string): string {
  return page("Hubby eSIM", brands.default!, `<main><h1>Link not valid</h1><p>${escapeHtml(message)}</p></main>`);
}

const gib = (bytes: number) => `${(bytes / 1073741824).toFixed(bytes % 1073741824 === 0 ? 0 : 2)} GB`;

export async function renderWebView(sandbox: Sandbox, traveler: Traveler, dashboard: DashboardView): Promise<string> {
  const brand = brandFor(sandbox, traveler.custom_branding);
  const esim = dashboard.current_esim;
  const parts: string[] = [
    `<header><img src="${escapeHtml(brand.logo)}" alt="${escapeHtml(brand.name)}" height="40"></header>`,
  ];
  if (!esim) {
    parts.push(
      `<main><h1>Your travel data</h1><p>No eSIM yet: your data package appears here once it is booked.</p></main>`,
    );
    return page(`${brand.name} eSIM`, brand, parts.join(""));
  }
  const body: string[] = [
    `<h1>Your travel data</h1><p class="muted">eSIM ${escapeHtml(esim.iccid)} · ${escapeHtml(esim.status)}</p>`,
  ];
  if (esim.status === "RELEASED") {
    const qr = await QRCode.toString(esim.qr, { type: "svg", margin: 1, width: 200 });
    const link = `https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=${encodeURIComponent(esim.qr)}`;
    body.push(
      `<section><h2>Install your eSIM</h2><div class="qr">${qr}</div><p><a class="button" href="${escapeHtml(link)}">Install on this phone</a></p></section>`,
    );
  }
  if (esim.total_data > 0) {
    const used = esim.total_data - esim.data_left;
    const percent = Math.round((used / esim.total_data) * 100);
    body.push(
      `<section><h2>Data</h2><div class="meter" role="meter" aria-valuenow="${percent}" aria-valuemin="0" aria-valuemax="100" aria-label="Data used"><span style="width:${percent}%"></span></div><p>${gib(esim.data_left)} left of ${gib(esim.total_data)}</p></section>`,
    );
  }
  const active = dashboard.current_esim_packages.filter((pkg) => pkg.status === "ACTIVE");
  if (active.length) {
    body.push(
      `<section><h2>Packages</h2><ul>${active.map((pkg) => `<li>${escapeHtml(pkg.destination)} · ${escapeHtml(pkg.size ?? pkg.package_type)} · ${pkg.date_activated ? `active until ${escapeHtml(pkg.expires_at!.slice(0, 10))}` : "activates on arrival"}</li>`).join("")}</ul></section>`,
    );
  }
  const waiting = dashboard.package_queues.filter((queue) => !queue.redeemed_at);
  if (waiting.length) {
    body.push(
      `<section><h2>Ready to add</h2><ul>${waiting.map((queue) => `<li>${escapeHtml(queue.package_specification.destination)} · ${escapeHtml(queue.package_specification.size ?? "")}</li>`).join("")}</ul></section>`,
    );
  }
  parts.push(`<main>${body.join("")}</main>`);
  return page(`${brand.name} eSIM`, brand, parts.join(""));
}

function page(title: string, brand: Brand, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>
:root{--primary:${brand.primary_color};--secondary:${brand.secondary_color}}
body{margin:0;font-family:${brand.font},system-ui,sans-serif;background:#f8fafc;color:#0f172a}
header{padding:16px;border-bottom:4px solid var(--secondary);background:#fff}
main{max-width:480px;margin:0 auto;padding:16px}
h1{color:var(--primary);font-size:1.4rem}.muted{color:#64748b;font-size:.9rem}
section{background:#fff;border-radius:12px;padding:12px 16px;margin:12px 0;box-shadow:0 1px 2px #0001}
.meter{height:12px;border-radius:6px;background:#e2e8f0;overflow:hidden}.meter span{display:block;height:100%;background:var(--primary)}
.button{display:inline-block;padding:10px 16px;border-radius:8px;background:var(--primary);color:#fff;text-decoration:none}
.qr svg{width:200px;height:200px}
</style></head><body>${content}<footer class="muted" style="text-align:center;padding:16px">Hubby sandbox WebView · demo data</footer></body></html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
