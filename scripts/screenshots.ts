import fs from "node:fs";
import path from "node:path";
import { chromium, type Page } from "playwright-core";

// npm run docs:screenshots -- [--url http://localhost:3000]
// The README's tour: signs in to a running console on the built-in sandbox (npm run dev, or npm start after a
// build) with the demo accounts and saves a screenshot of each main screen to public/screenshots/, where the README
// shows them from (and the console serves them, to signed-in staff, at /screenshots/<name>.png).

const args = process.argv.slice(2);
const urlIndex = args.indexOf("--url");
const base = (urlIndex >= 0 ? args[urlIndex + 1] : undefined) ?? "http://localhost:3000";
const out = path.join(process.cwd(), "public", "screenshots");
const chromiumPath = "/usr/bin/chromium";

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 60_000 });
}

async function shoot(page: Page, name: string, route: string, ready?: (page: Page) => Promise<unknown>) {
  await page.goto(`${base}${route}`, { waitUntil: "networkidle", timeout: 120_000 });
  if (ready) await ready(page);
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  console.log(`${path.relative(process.cwd(), path.join(out, `${name}.png`))}  ${route}`);
}

async function main() {
  if (!fs.existsSync(chromiumPath)) throw new Error("Chromium not found: apt-get install -y chromium");
  fs.mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, "admin@demo.hubby.test", "demo-admin-pass");
    await shoot(page, "travelers", "/travelers");
    const first = await page.locator('[data-testid^="traveler-row-"] a').first().getAttribute("href");
    if (first) await shoot(page, "traveler", first);
    await shoot(page, "bookings", "/bookings");
    await shoot(page, "bookings-at-hubby", "/bookings/hubby");
    await shoot(page, "campaigns", "/campaigns");
    await shoot(page, "promo-codes", "/promo-codes");
    await shoot(page, "webhooks", "/webhooks");
    await shoot(page, "instructions", "/instructions");
    await shoot(page, "audit", "/audit");
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
