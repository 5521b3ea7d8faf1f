import { describe, expect, it } from "vitest";
import { DEMO, E2E_URL, browserPerFile } from "./support";

const browser = browserPerFile();

/**
 * The busiest screens send their title and description in the document's shell, ahead of the data they stream in
 * (docs/decisions/0070): on a phone that text is the largest thing painted, so it is painted at once rather than
 * after the queries and the scripts. React sends a boundary that resolved after the shell inside a hidden
 * `<div hidden id="S:…">` further down the document; the description must come before the first of them.
 */
const SCREENS = [
  { path: "/travelers", description: "Everyone the console has heard of from Hubby." },
  { path: "/webhooks", description: "Every event Hubby delivered, stored before it was acknowledged" },
  { path: "traveler", description: "is shown at once;" },
] as const;

describe("screens send their title and description in the shell", () => {
  it.each(SCREENS)("$path", async ({ path, description }) => {
    const { page, context } = await browser.signedIn(DEMO.admin);
    let url = path as string;
    if (path === "traveler") {
      await page.goto("/travelers");
      url = (await page.locator('[data-testid^="traveler-row-"] a').first().getAttribute("href")) ?? "";
      expect(url).toMatch(/^\/travelers\/./);
    }
    const cookie = (await context.cookies(E2E_URL)).map((entry) => `${entry.name}=${entry.value}`).join("; ");
    const response = await fetch(`${E2E_URL}${url}`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const html = await response.text();
    const at = html.indexOf(description);
    const firstLateBoundary = html.indexOf('<div hidden id="S:');
    expect(at).toBeGreaterThan(-1);
    // A screen with nothing streamed late has no hidden boundary at all.
    if (firstLateBoundary !== -1) expect(at).toBeLessThan(firstLateBoundary);
  });
});
