import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startConsole, type ConsoleServer } from "../../scripts/e2e-console";
import { startOidcProvider, type OidcProviderHandle } from "../support/oidc-provider";
import {
  browserPerFile,
  expectScreen,
  failedSignIn,
  GENERIC_SIGN_IN_ERROR,
  pathOf,
  postServerAction,
  signIn,
  textOf,
} from "./support";

/**
 * Single sign-on end to end: this file starts its own console (the shared e2e one has no OIDC) with OIDC pointed at
 * a real OpenID Connect provider started here, SSO_ONLY on and a break-glass admin. Both listen on loopback.
 */

const BUTTON = "Continue with Corp ID";
const BREAK_GLASS = { email: "break-glass@corp.example", password: "break-glass-password-1" };

let idp: OidcProviderHandle;
let sso: ConsoleServer;
let dataDir: string;
const at = (pathAndQuery: string) => `${sso.url}${pathAndQuery}`;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hubby-e2e-sso-"));
  const port = await freePort();
  idp = await startOidcProvider({ redirectUri: `http://127.0.0.1:${port}/api/auth/callback/oidc` });
  idp.accounts.set("casey", { email: "casey@corp.example", name: "Casey Agent", groups: ["staff", "agents"] });
  idp.accounts.set("rex", { email: "rex@corp.example", name: "Rex Outsider", groups: ["staff"] });
  sso = await startConsole({
    dir: dataDir,
    port,
    // A second server starting while the shared one runs: on a loaded machine that takes longer than the first.
    healthTimeoutMs: 180_000,
    env: {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_BUTTON_LABEL: BUTTON,
      OIDC_ROLE_CLAIM: "groups",
      OIDC_ROLE_MAP: "admins=admin,cm=campaign_manager,agents=support",
      SSO_ONLY: "true",
      ADMIN_EMAIL: BREAK_GLASS.email,
      ADMIN_PASSWORD: BREAK_GLASS.password,
      // Nothing in this file needs the sandbox's demo travelers.
      HUBBY_SANDBOX_TRAVELERS: "0",
    },
  });
}, 240_000);

afterAll(async () => {
  await sso?.stop();
  await idp?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const browser = browserPerFile();

/** Signs in through the provider as `username`; the provider asks only when it has no session of its own yet. */
async function signInWithSso(page: Page, username: string) {
  await page.goto(at("/login"));
  await page.getByRole("button", { name: BUTTON, exact: true }).click();
  // Signed in, every role lands on the overview at "/".
  const inConsole = (url: URL) => url.origin === sso.url && !url.pathname.startsWith("/login");
  await page.waitForURL(
    (url) => (url.origin === idp.issuer && url.pathname.startsWith("/interaction/")) || inConsole(url),
  );
  if (new URL(page.url()).origin === idp.issuer) {
    await page.getByLabel("Username").fill(username);
    await page.getByRole("button", { name: "Continue to the console" }).click();
  }
  await page.waitForURL(inConsole, { waitUntil: "load" });
}

async function profileRole(page: Page): Promise<string> {
  await page.goto(at("/account"));
  await expectScreen(page, "My account");
  return textOf(page.locator("dt", { hasText: "Role" }).locator("xpath=following-sibling::dd[1]"));
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/login");
}

describe("single sign-on with SSO_ONLY", () => {
  it("shows only the SSO button; the password form is for the break-glass admin alone", async () => {
    const { page } = await browser.open();
    await page.goto(at("/login"));
    await page.getByRole("button", { name: BUTTON, exact: true }).waitFor();
    expect(await page.getByLabel("Password", { exact: true }).count()).toBe(0);

    await page.getByRole("link", { name: "Break-glass administrator sign-in" }).click();
    await page.getByLabel("Password", { exact: true }).waitFor();
    // Anyone else is refused the generic way, even with a right password (the demo admin exists but is disabled
    // with ADMIN_EMAIL set; a real staff member would be answered the same).
    expect(await failedSignIn(page, "casey@corp.example", "any-password-at-all")).toBe(GENERIC_SIGN_IN_ERROR);
    await signIn(page, BREAK_GLASS.email, BREAK_GLASS.password);
    expect(await profileRole(page)).toBe("Admin");
  });

  it("creates the account on first sign-in with the mapped role, and applies a role change on the next", async () => {
    const { page } = await browser.open();
    await signInWithSso(page, "casey");
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    expect(await profileRole(page)).toBe("Support");
    expect(await textOf(page.getByRole("table", { name: "Active sessions" }).getByRole("row").nth(1))).toContain(
      "Single sign-on",
    );
    // No password to change or second factor to enrol: the provider manages both.
    await page.getByText("managed by your identity provider").waitFor();
    expect(await page.getByRole("heading", { name: "Change password" }).count()).toBe(0);

    idp.accounts.set("casey", { ...idp.accounts.get("casey")!, groups: ["staff", "cm"] });
    await signOut(page);
    // The provider still has its session: no question asked, straight back as the new role.
    await signInWithSso(page, "casey");
    expect(await profileRole(page)).toBe("Campaign manager");
  });

  it("refuses a user whose groups map to no role, with a page that says why", async () => {
    const { page } = await browser.open();
    await page.goto(at("/login"));
    await page.getByRole("button", { name: BUTTON, exact: true }).click();
    await page.getByLabel("Username").fill("rex");
    await page.getByRole("button", { name: "Continue to the console" }).click();
    await page.waitForURL((url) => url.origin === sso.url && url.pathname === "/login/sso-refused");
    await page.getByRole("heading", { name: "You have no role in this console" }).waitFor();
    expect(await textOf(page.getByTestId("sso-refusal"))).toContain("Ask your administrator");
    await page.goto(at("/account"));
    expect(pathOf(page)).toBe("/login");
  });
});

describe("sessions", () => {
  async function signedInWithSso(username: string): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await browser.open();
    await signInWithSso(opened.page, username);
    return opened;
  }

  it("a session revoked from the sessions list is signed out at its next request", async () => {
    idp.accounts.set("sam", { email: "sam@corp.example", name: "Sam Sessions", groups: ["agents"] });
    const laptop = await signedInWithSso("sam");
    const phone = await signedInWithSso("sam");
    await laptop.page.goto(at("/account"));
    await expectScreen(laptop.page, "My account");
    const rows = laptop.page.getByRole("table", { name: "Active sessions" }).locator('[data-testid^="session-"]');
    expect(await rows.count()).toBe(2);
    const other = rows.filter({ hasNot: laptop.page.getByText("This browser") });
    const otherTestId = (await other.getAttribute("data-testid"))!;
    await other.getByRole("button", { name: /^End session on / }).click();
    await laptop.page.getByTestId(otherTestId).waitFor({ state: "detached" });
    expect(await rows.count()).toBe(1);

    await phone.page.goto(at("/account"));
    expect(pathOf(phone.page)).toBe("/login");
    await laptop.page.goto(at("/account"));
    await expectScreen(laptop.page, "My account");
  });

  it("a copied session cookie stops working after sign-out, for pages and server actions", async () => {
    idp.accounts.set("cole", { email: "cole@corp.example", name: "Cole Copied", groups: ["agents"] });
    const original = await signedInWithSso("cole");
    const cookies = await original.context.cookies(sso.url);
    const { context: copy, page: copyPage } = await browser.open();
    await copy.addCookies(cookies);
    await copyPage.goto(at("/account"));
    await expectScreen(copyPage, "My account");

    await signOut(original.page);
    await copyPage.goto(at("/account"));
    expect(pathOf(copyPage)).toBe("/login");
    const response = await postServerAction(copy, {
      page: at("/account"),
      file: "app/(console)/account/actions.ts",
      action: "changeOwnPasswordAction",
      fields: { currentPassword: "whatever-it-was", newPassword: "a-new-password-1234" },
      headers: { Origin: sso.url },
    });
    expect(await response.text()).not.toContain('"ok":true');
    expect(`${response.headers()["x-action-redirect"] ?? ""}${response.headers()["location"] ?? ""}`).toContain(
      "/login",
    );
  });
});
