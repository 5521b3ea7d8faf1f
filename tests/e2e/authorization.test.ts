import type { APIResponse, BrowserContext } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  DEMO,
  E2E_URL,
  STAFF_LIST_BY_LAST_SIGN_IN,
  addStaff,
  pathOf,
  expectRefusedByRole,
  postServerAction,
  staffIdOf,
  staffRow,
  newStaffMember,
  browserPerFile,
  expectBrowserError,
  failedLoad,
} from "./support";

const FORBIDDEN_HEADING = "You do not have access to this page";

const browser = browserPerFile();

const signedIn = (account: { email: string; password: string }) => browser.signedIn(account);

const SET_DISABLED = { page: "/staff", file: "app/(console)/staff/actions.ts", action: "setDisabledAction" };

/** Calls setDisabledAction for `id` as `context`'s session, the way the Disable dialog does; returns its answer. */
async function callSetDisabled(context: BrowserContext, id: string): Promise<APIResponse> {
  const response = await postServerAction(context, { ...SET_DISABLED, fields: { id, disabled: "true" } });
  expect(response.status(), (await response.text()).slice(0, 500)).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/x-component");
  return response;
}

describe("requests from another origin", () => {
  // The forged X-Forwarded-Host case is in tests/integration/http-server.test.ts: the e2e server trusts its "proxy".
  it("a cross-origin server-action call is refused with 403", async () => {
    const admin = await signedIn(DEMO.admin);
    for (const headers of [{ Origin: "https://evil.example" }, { Origin: "null" }]) {
      const response = await postServerAction(admin.context, {
        ...SET_DISABLED,
        fields: { id: "00000000-0000-4000-8000-000000000000", disabled: "true" },
        headers,
      });
      expect(response.status()).toBe(403);
      expect(await response.json()).toEqual({ ok: false, message: "Cross-origin request refused." });
    }
  });
});

describe("oversized server-action bodies", () => {
  it("a 5 MB server-action body is refused before any check, without a session or with one", async () => {
    const { context: forged } = await browser.open();
    await forged.addCookies([{ name: "next-auth.session-token", value: "forged", url: E2E_URL }]);
    const admin = await signedIn(DEMO.admin);
    for (const context of [forged, admin.context]) {
      const response = await postServerAction(context, {
        ...SET_DISABLED,
        fields: { id: "x".repeat(5 * 1024 * 1024) },
      });
      expect(response.status()).toBe(413);
    }
  });
});

describe("a support user and staff management", () => {
  it("GET /staff answers 403 with the forbidden page", async () => {
    const { page } = await signedIn(DEMO.support);
    expectBrowserError(page, failedLoad(403), "the forbidden page answers 403");
    const response = await page.goto("/staff");
    await page.getByRole("heading", { level: 1, name: FORBIDDEN_HEADING, exact: true }).waitFor();
    expect(pathOf(page)).toBe("/staff");
    expect(await page.getByRole("button", { name: "Add staff" }).count()).toBe(0);
    expect(response?.status(), "HTTP status of GET /staff for a support user").toBe(403);
  });

  it("a campaign manager gets the same for GET /audit", async () => {
    const { page } = await signedIn(DEMO.campaigns);
    expectBrowserError(page, failedLoad(403), "the forbidden page answers 403");
    const response = await page.goto("/audit");
    await page.getByRole("heading", { level: 1, name: FORBIDDEN_HEADING, exact: true }).waitFor();
    expect(await page.getByRole("heading", { level: 1, name: "Audit log" }).count()).toBe(0);
    expect(response?.status(), "HTTP status of GET /audit for a campaign manager").toBe(403);
  });

  it("calling setDisabledAction directly is refused, changes nothing, and is audited", async () => {
    // A target of our own, so a broken check cannot disable an account other tests use.
    const admin = await signedIn(DEMO.admin);
    const target = newStaffMember("Action Target", "Support");
    await addStaff(admin.page, target, STAFF_LIST_BY_LAST_SIGN_IN);
    const targetId = await staffIdOf(admin.page, target.email, STAFF_LIST_BY_LAST_SIGN_IN);

    // Control: the same request as the admin, for an id that does not exist, reaches the action's domain check,
    // which shows the encoding delivers the form fields.
    const control = await callSetDisabled(admin.context, "00000000-0000-4000-8000-000000000000");
    expect(await control.text()).toContain('"message":"This staff member no longer exists."');

    const support = await signedIn(DEMO.support);
    await expectRefusedByRole(await callSetDisabled(support.context, targetId));

    // Nothing changed: the admin still sees the target as Active, and the target can still sign in.
    await admin.page.goto(`${STAFF_LIST_BY_LAST_SIGN_IN}&q=${encodeURIComponent(target.email)}`);
    const row = staffRow(admin.page, target.email);
    await row.waitFor();
    expect(await row.getByText("Active", { exact: true }).count()).toBe(1);
    expect(await row.getByText("Disabled", { exact: true }).count()).toBe(0);
    const targetSession = await signedIn(target);
    expect(pathOf(targetSession.page)).toBe("/");

    // The refusal is in the audit log.
    await admin.page.goto("/audit?q=staff.set_disabled&result=refused");
    const entry = admin.page
      .getByRole("row")
      .filter({ has: admin.page.getByRole("cell", { name: "staff.set_disabled", exact: true }) })
      .filter({ has: admin.page.getByRole("cell", { name: DEMO.support.name, exact: true }) })
      .first();
    await entry.waitFor();
    expect(await entry.getByText("refused", { exact: true }).count()).toBe(1);
  });
});
