import type { Frame, Locator, Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { DEMO, browserPerFile, expectScreen } from "./support";

const browser = browserPerFile();
const SANDBOX_URL = process.env.E2E_SANDBOX_URL ?? "";
const control = { "x-api-key": SANDBOX_CREDENTIALS.apiKey, "content-type": "application/json" };

type SandboxTraveler = { external_user_id: string; esim_status: string | null };

async function travelerWithEsim(): Promise<string> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/travelers`, { headers: control });
  const travelers = ((await response.json()) as { data: SandboxTraveler[] }).data;
  const found =
    travelers.find((traveler) => traveler.esim_status === "RELEASED") ??
    travelers.find((traveler) => traveler.esim_status !== null);
  if (!found) throw new Error("the demo sandbox has no traveler with an eSIM");
  return found.external_user_id;
}

afterEach(async () => {
  await fetch(`${SANDBOX_URL}/_sandbox/faults`, { method: "DELETE", headers: control });
});

async function frameOf(iframe: Locator): Promise<Frame> {
  const frame = await (await iframe.elementHandle())?.contentFrame();
  if (!frame) throw new Error("the preview iframe has no frame");
  return frame;
}

describe("installation instructions", () => {
  it("renders the sandbox's hostile instructions with nothing executed, then saves a snapshot", async () => {
    const externalUserId = await travelerWithEsim();
    const { page } = await browser.signedIn(DEMO.support);
    await page.goto(`/instructions?externalUserId=${encodeURIComponent(externalUserId)}`);
    await expectScreen(page, "Installation instructions");
    const title = await page.title();

    const fault = await fetch(`${SANDBOX_URL}/_sandbox/faults`, {
      method: "POST",
      headers: control,
      body: JSON.stringify({ kind: "hostile_html", path: "/native/instructions", times: 1 }),
    });
    expect(fault.status).toBe(200);

    const form = page.getByRole("form", { name: "Preview instructions" });
    await form.getByLabel("Device", { exact: true }).fill("Apple iPhone 12");
    await form.getByLabel("OS", { exact: true }).selectOption("ios");
    await form.getByLabel("OS version", { exact: true }).fill("16");
    await form.getByLabel("Locale", { exact: true }).selectOption("en-GB");
    await form.getByRole("button", { name: "Preview" }).click();

    const iframe = page.getByTestId("instructions-frame");
    await iframe.waitFor();
    expect(await iframe.getAttribute("sandbox")).toBe("");
    expect(await iframe.getAttribute("srcdoc")).toContain("Content-Security-Policy");
    const frame = await frameOf(iframe);
    await frame.getByRole("heading", { name: "Install your travel eSIM" }).waitFor();
    // The payloads are in the reply (their text shows) but none of their machinery survived.
    await frame.getByText("Install now").waitFor();
    expect(
      await frame.locator("script, iframe, object, embed, form, input, base, meta[http-equiv=refresh]").count(),
    ).toBe(0);
    expect(await frame.locator("[onerror], [onload], [ontoggle], [onfocus], a[href], [srcdoc]").count()).toBe(0);
    // No script can run in the sandboxed frame (sandbox=""); one that tries is logged by Chromium as "Blocked script
    // execution", and any console error fails the test (browserPerFile). Once the frame has loaded, check that
    // nothing ran in the page either.
    await frame.waitForLoadState("load");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe(title);
    expect(await frame.evaluate(() => document.title)).not.toContain("pwned");
    expect(pathAndHash(page)).toBe("/instructions");

    await page.getByTestId("platform-notes").getByText("iOS before 17.4: scan a QR code").waitFor();
    expect(await page.getByTestId("branding").textContent()).toContain("Branding applied by Hubby");

    await page.getByRole("button", { name: "Save to traveler's timeline" }).click();
    await page.getByTestId("snapshot-link").click();
    await expectScreen(page, "Instructions snapshot");
    const saved = await frameOf(page.getByTestId("instructions-frame"));
    await saved.getByRole("heading", { name: "Install your travel eSIM" }).waitFor();
    expect(await page.getByTestId("snapshot-facts").textContent()).toContain(DEMO.support.email);

    await page.goto(`/instructions?externalUserId=${encodeURIComponent(externalUserId)}`);
    await expectScreen(page, "Installation instructions");
    const savedList = page.getByTestId("snapshot-list");
    // The list streams in after the heading: the context's default wait, as 5 s can pass on a loaded machine.
    await savedList.waitFor().catch(async () => {
      throw new Error(`no snapshot list: ${(await page.getByRole("main").textContent())?.slice(-1500)}`);
    });
    await savedList.getByText("Apple iPhone 12 · iOS 16 · en-GB").waitFor();
  });

  it("compares two devices in two languages: four cells, each streamed in with its own frame", async () => {
    const externalUserId = await travelerWithEsim();
    const { page } = await browser.signedIn(DEMO.campaigns);
    await page.goto(`/instructions?externalUserId=${encodeURIComponent(externalUserId)}`);
    await expectScreen(page, "Installation instructions");

    const compare = page.getByRole("form", { name: "Compare instructions" });
    await compare.getByLabel("Google Pixel 8 · Android 15").uncheck();
    expect(await compare.getByLabel("Apple iPhone 15 Pro · iOS 17.4").isChecked()).toBe(true);
    expect(await compare.getByLabel("Apple iPhone 12 · iOS 16").isChecked()).toBe(true);
    expect(await compare.getByLabel("en-GB", { exact: true }).isChecked()).toBe(true);
    expect(await compare.getByLabel("de-DE", { exact: true }).isChecked()).toBe(true);
    await compare.getByRole("button", { name: "Compare" }).click();

    const matrix = page.getByTestId("matrix");
    await matrix.waitFor();
    expect(await matrix.getByRole("columnheader").allTextContents()).toEqual(["Device", "en-GB", "de-DE"]);
    expect(await matrix.getByTestId("matrix-cell").count()).toBe(4);
    await expect.poll(() => matrix.getByTestId("matrix-cell-ready").count(), { timeout: 30_000 }).toBe(4);
    const frames = matrix.getByTestId("instructions-frame");
    expect(await frames.count()).toBe(4);
    // Row 1 (iPhone 15 Pro, iOS 17.4): English, then German.
    await (await frameOf(frames.nth(0))).getByRole("heading", { name: "Install your travel eSIM" }).waitFor();
    await (await frameOf(frames.nth(1))).getByRole("heading", { name: "Installieren Sie Ihre Reise-eSIM" }).waitFor();
    expect(await matrix.getByText("iOS 17.4 and later: one-tap install").count()).toBe(1);
    expect(await matrix.getByText("iOS before 17.4: scan a QR code").count()).toBe(1);
  });

  it("explains an unknown traveler in place instead of showing an empty frame", async () => {
    const { page } = await browser.signedIn(DEMO.support);
    await page.goto("/instructions?externalUserId=nobody_at_all_e2e");
    await expectScreen(page, "Installation instructions");
    await page.getByRole("alert").filter({ hasText: "Hubby does not know a traveler" }).waitFor();
    await page.getByRole("form", { name: "Preview instructions" }).getByRole("button", { name: "Preview" }).click();
    await page.getByTestId("preview-error").filter({ hasText: "does not know" }).waitFor();
    expect(await page.getByTestId("instructions-frame").count()).toBe(0);
  });
});

function pathAndHash(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.hash;
}
