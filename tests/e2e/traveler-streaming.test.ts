import { describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { DEMO, E2E_URL, browserPerFile, expectScreen } from "./support";

const browser = browserPerFile();
const SANDBOX_URL = process.env.E2E_SANDBOX_URL ?? "";
const sandboxHeaders = { "x-api-key": SANDBOX_CREDENTIALS.apiKey, "content-type": "application/json" };
/** How long the sandbox holds the user dashboard: well inside the page's Hubby budget, so the call succeeds. */
const HUBBY_DELAY_MS = 3_000;

async function travelerWithEsim(): Promise<string> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/travelers`, { headers: sandboxHeaders });
  const { data } = (await response.json()) as { data: { external_user_id: string; esim_status: string | null }[] };
  const found = data.find((traveler) => traveler.esim_status !== null);
  if (!found) throw new Error("the demo sandbox has no traveler with an eSIM");
  return found.external_user_id;
}

describe("the traveler page streams", () => {
  it("sends the header and stored state before Hubby's slow reply, then the live panel", async () => {
    const externalUserId = await travelerWithEsim();
    const { page, context } = await browser.signedIn(DEMO.support);
    // Seen once while Hubby is quick, so the console has stored it (ICCID included).
    await page.goto(`/travelers/${encodeURIComponent(externalUserId)}`);
    await expectScreen(page, externalUserId);
    await page.getByTestId("fetched-at").waitFor();
    const cookie = (await context.cookies(E2E_URL)).map((entry) => `${entry.name}=${entry.value}`).join("; ");

    const fault = await fetch(`${SANDBOX_URL}/_sandbox/faults`, {
      method: "POST",
      headers: sandboxHeaders,
      body: JSON.stringify({ kind: "latency", ms: HUBBY_DELAY_MS, path: "/native/user-dashboard" }),
    });
    expect(fault.status).toBe(200);
    try {
      const started = performance.now();
      const response = await fetch(`${E2E_URL}/travelers/${encodeURIComponent(externalUserId)}`, {
        headers: { cookie },
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let html = "";
      let headerAt: number | null = null;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        html += decoder.decode(value, { stream: true });
        if (headerAt === null && html.includes('data-testid="header-iccid"')) headerAt = performance.now() - started;
      }
      const endedAt = performance.now() - started;
      // The header (with the stored ICCID) and the "asking Hubby" placeholders came before Hubby answered…
      expect(headerAt).not.toBeNull();
      expect(headerAt!).toBeLessThan(HUBBY_DELAY_MS);
      expect(html).toContain('data-testid="live-panel-loading"');
      // …and the same response went on to carry the live state once Hubby answered.
      expect(endedAt).toBeGreaterThanOrEqual(HUBBY_DELAY_MS);
      expect(html).toMatch(/Live from Hubby, fetched/);
    } finally {
      await fetch(`${SANDBOX_URL}/_sandbox/faults`, { method: "DELETE", headers: sandboxHeaders });
    }
  });
});
