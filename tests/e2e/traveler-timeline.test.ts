import { describe, expect, it } from "vitest";
import { sampleEvent } from "@/lib/webhooks/samples";
import { DEMO, browserPerFile, expectScreen, deliverWebhook } from "./support";

// Acceptance (issue 22): the timeline of a traveler with 200 events shows all of them through paging, its page in the
// URL, and opening the page adds no entry of its own.
const browser = browserPerFile();

describe("traveler timeline", () => {
  it("a traveler with 200 events shows every one of them through Older entries", async () => {
    const externalUserId = `e2e_timeline_${Date.now()}`;
    const ids = { externalUserId, bookingId: `bk_${externalUserId}`, packageId: `pkg_${externalUserId}` };
    const start = Date.now() - 300 * 60_000;
    for (let n = 0; n < 200; n++) {
      const type = n % 2 === 0 ? "esim.installed" : "esim.removed";
      await deliverWebhook(sampleEvent(type, ids, new Date(start + n * 60_000)));
    }

    const { page } = await browser.signedIn(DEMO.support);
    await page.goto(`/travelers/${externalUserId}?tab=timeline`);
    await expectScreen(page, externalUserId);
    const timeline = page.getByTestId("timeline");
    await timeline.waitFor();

    let webhooks = 0;
    let pages = 0;
    const cursors = new Set<string>();
    for (;;) {
      pages += 1;
      webhooks += await timeline.locator('li[data-kind="webhook"]').count();
      expect(await timeline.locator("li", { hasText: "travelers.view" }).count()).toBe(0);
      const older = page.getByRole("navigation", { name: "Timeline pages" }).getByRole("link", {
        name: "Older entries",
      });
      if ((await older.count()) === 0) break;
      await older.click();
      await page.waitForURL((url) => {
        const before = url.searchParams.get("before");
        return before !== null && !cursors.has(before);
      });
      cursors.add(new URL(page.url()).searchParams.get("before")!);
      await timeline.waitFor();
      expect(pages).toBeLessThan(10);
    }
    expect(webhooks).toBe(200);
    expect(pages).toBeGreaterThanOrEqual(4);
    const total = await page.getByTestId("timeline-total").textContent();
    expect(Number(total!.match(/^(\d+) entries/)![1])).toBeGreaterThanOrEqual(200);

    // "Newest" goes back to the first page; a filter by kind starts from the newest page too.
    await page.getByRole("link", { name: "Newest", exact: true }).click();
    await page.waitForURL((url) => !url.searchParams.has("before"));
    await page.getByRole("navigation", { name: "Timeline filters" }).getByRole("link", { name: "Webhooks" }).click();
    await page.waitForURL((url) => url.searchParams.get("kinds") === "webhook" && !url.searchParams.has("before"));
    expect(await timeline.locator('li[data-kind="webhook"]').count()).toBe(50);
  }, 240_000);
});
