import { describe, expect, it } from "vitest";
import { DEMO, browserPerFile, expectScreen } from "./support";

const browser = browserPerFile();

describe("travelers list", () => {
  it("opens a built-in view, hides a column, saves the filter as a team view and sees it listed", async () => {
    const { page } = await browser.signedIn(DEMO.support);
    await page.goto("/travelers");
    await expectScreen(page, "Travelers");
    const views = page.getByRole("navigation", { name: "Views" });

    await views.getByRole("link", { name: "eSIM removed", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("esim") === "removed");
    await views.locator('a[aria-current="page"]', { hasText: "eSIM removed" }).waitFor();
    expect(await page.getByLabel("eSIM", { exact: true }).inputValue()).toBe("removed");

    const usageHeader = page.getByRole("columnheader", { name: "Usage %" });
    await usageHeader.waitFor();
    await page.getByRole("button", { name: "Columns" }).click();
    await page.getByRole("menuitemcheckbox", { name: "Usage %" }).click();
    await page.waitForURL((url) => url.searchParams.get("hide") === "usage");
    await usageHeader.waitFor({ state: "detached" });
    await page.keyboard.press("Escape");

    const name = `Removed, e2e ${Date.now().toString(36)}`;
    await page.getByRole("button", { name: "Save view" }).click();
    await page.getByLabel("View name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Save for the team" }).click();
    await page.getByText(`Saved the view “${name}” for the team.`).waitFor();
    const saved = views.getByRole("link", { name, exact: true });
    await saved.waitFor();
    // Same filter as the built-in view, so both show as the active view; the hidden column stays hidden.
    expect(await saved.getAttribute("aria-current")).toBe("page");
    expect(await page.getByRole("columnheader", { name: "Usage %" }).count()).toBe(0);

    // Another staff member sees the team view.
    const other = await browser.signedIn(DEMO.campaigns);
    await other.page.goto("/travelers");
    await other.page.getByRole("navigation", { name: "Views" }).getByRole("link", { name, exact: true }).waitFor();
    expect(await other.page.getByRole("button", { name: `Delete view ${name}` }).count()).toBe(0);
  });
});
