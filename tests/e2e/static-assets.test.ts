import { describe, expect, it } from "vitest";
import { DEMO, E2E_URL, browserPerFile } from "./support";

const browser = browserPerFile();

/** What the production build serves from public/, signed out: the proxy must not send these to /login. */
async function fetchSignedOut(pathname: string) {
  const response = await fetch(`${E2E_URL}${pathname}`, { redirect: "manual" });
  return { status: response.status, type: response.headers.get("content-type") ?? "", body: await response.text() };
}

describe("static assets from public/", () => {
  it("robots.txt keeps crawlers out of the whole console", async () => {
    const robots = await fetchSignedOut("/robots.txt");
    expect(robots.status).toBe(200);
    expect(robots.type).toContain("text/plain");
    expect(robots.body).toMatch(/^User-agent: \*$/m);
    expect(robots.body).toMatch(/^Disallow: \/$/m);
  });

  it("every icon the sign-in page links to is served as an image", async () => {
    const { page } = await browser.open();
    await page.goto("/login");
    const links = await page
      .locator('link[rel="icon"], link[rel="apple-touch-icon"]')
      .evaluateAll((elements) => elements.map((element) => element.getAttribute("href") ?? ""));
    expect(links.map((href) => new URL(href, E2E_URL).pathname).sort()).toEqual([
      "/apple-touch-icon.png",
      "/favicon.ico",
      "/logo.svg",
    ]);
    for (const href of links) {
      const icon = await fetchSignedOut(new URL(href, E2E_URL).pathname);
      expect(icon.status, href).toBe(200);
      expect(icon.type, href).toMatch(/^image\//);
    }
  });

  it("the README's screenshots are served to signed-in staff only", async () => {
    expect((await fetchSignedOut("/screenshots/travelers.png")).status).toBe(307);
    const { page } = await browser.signedIn(DEMO.support);
    const response = await page.request.get("/screenshots/travelers.png");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("image/png");
  });
});
