import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  chromium,
  type APIResponse,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { FORBIDDEN_MESSAGE } from "@/lib/actions";
import { CHROMIUM_FLAGS } from "../../bench/support";
import { SANDBOX_CREDENTIALS } from "@/lib/env";

/**
 * Shared helpers for the e2e project. `npm run test:e2e` (scripts/test-e2e.ts) starts the server and passes
 * E2E_URL and CHROMIUM_PATH. (Never BASE_URL: vitest sets that variable itself.)
 */

export const E2E_URL = (process.env.E2E_URL ?? "").replace(/\/$/, "");
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

if (!E2E_URL) {
  throw new Error("E2E_URL is not set. Run the end-to-end tests with `npm run test:e2e`, which starts the server.");
}

export type Credentials = { email: string; password: string; name: string; role: string };

/** The demo staff seeded on a fresh sandbox database (lib/staff/bootstrap.ts). */
export const DEMO = {
  admin: { email: "admin@demo.hubby.test", password: "demo-admin-pass", name: "Ada Admin", role: "Admin" },
  campaigns: {
    email: "campaigns@demo.hubby.test",
    password: "demo-campaigns-pass",
    name: "Carl Campaigns",
    role: "Campaign manager",
  },
  support: { email: "support@demo.hubby.test", password: "demo-support-pass", name: "Sam Support", role: "Support" },
} as const satisfies Record<string, Credentials>;

export const GENERIC_SIGN_IN_ERROR = "Wrong email or password.";
export const THROTTLED_PREFIX = "Too many failed sign-in attempts";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_FLAGS,
  });
}

const usedIps = new Set<string>();

/**
 * A fake client address for one browser context. Sign-in throttling counts failures per IP (5 in 15 minutes),
 * so every context gets its own; random octets keep separate test files (separate processes) apart too.
 */
export function uniqueIp(): string {
  for (;;) {
    const ip = `10.77.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;
    if (!usedIps.has(ip)) {
      usedIps.add(ip);
      return ip;
    }
  }
}

/** A browser console error or an uncaught page exception, as the test's report lists it. */
type BrowserError = { source: "console" | "pageerror"; text: string; pageUrl: string };

/** An error a test causes on purpose (e.g. the 403 a forbidden page answers), with the reason it is expected. */
type ExpectedBrowserError = { pattern: RegExp; reason: string; seen: number };

type ErrorWatch = { errors: BrowserError[]; expected: ExpectedBrowserError[] };

const errorWatches = new WeakMap<BrowserContext, ErrorWatch>();

/**
 * Chromium's console line for anything the Content-Security-Policy blocked ("Refused to execute inline script
 * because it violates the following Content Security Policy directive: …"), and the line the page's own listener
 * below logs. Such an error fails the test whatever expectBrowserError() declared: no page may violate the policy.
 */
export const CSP_VIOLATION = /Content Security Policy/i;

/** Logs every `securitypolicyviolation` event as a console error, in case Chromium's own line is not an error. */
function reportPolicyViolations() {
  document.addEventListener("securitypolicyviolation", (event) => {
    console.error(
      `Content Security Policy violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
        `(${event.sourceFile || "?"}:${event.lineNumber})`,
    );
  });
}

function watchBrowserErrors(context: BrowserContext) {
  const watch: ErrorWatch = { errors: [], expected: [] };
  errorWatches.set(context, watch);
  context.on("console", (message) => {
    if (message.type() !== "error") return;
    const location = message.location();
    const text = location.url ? `${message.text()} (at ${location.url}:${location.lineNumber})` : message.text();
    watch.errors.push({ source: "console", text, pageUrl: message.page()?.url() ?? "" });
  });
  context.on("weberror", (webError) => {
    const error = webError.error();
    watch.errors.push({
      source: "pageerror",
      text: error.stack ?? error.message,
      pageUrl: webError.page()?.url() ?? "",
    });
  });
}

/**
 * Declares a browser console error the test causes on purpose, and why. Every other console error or uncaught page
 * exception fails the test (checkBrowserErrors); so does a declared one that never shows, so the list stays true.
 * Chromium logs "Failed to load resource: … status of 403" for every document or fetch answered 403, for example.
 */
export function expectBrowserError(target: BrowserContext | Page, pattern: RegExp, reason: string) {
  const context = "context" in target ? target.context() : target;
  const watch = errorWatches.get(context);
  if (!watch) throw new Error("expectBrowserError(): the context was not opened with newContext().");
  if (!reason.trim()) throw new Error("expectBrowserError(): say why the error is expected.");
  if (pattern.test("Refused to execute inline script because it violates the following Content Security Policy")) {
    throw new Error(`expectBrowserError(): ${pattern} would excuse a Content-Security-Policy violation.`);
  }
  // Declared again (a helper called in a loop): one declaration covers every occurrence.
  if (watch.expected.some((expected) => String(expected.pattern) === String(pattern))) return;
  watch.expected.push({ pattern, reason, seen: 0 });
}

/** Chromium's line for a document or fetch that answered `status`; the console has no other source for it. */
export const failedLoad = (status: number) =>
  new RegExp(`^Failed to load resource: the server responded with a status of ${status} `);

/**
 * Throws, listing them, if the context's pages logged console errors or threw uncaught exceptions that no
 * expectBrowserError() declared, or if a declared error never showed. Called after every test by browserPerFile().
 */
export function checkBrowserErrors(context: BrowserContext) {
  const watch = errorWatches.get(context);
  if (!watch) return;
  const unexpected = watch.errors.filter((error) => {
    if (CSP_VIOLATION.test(error.text)) return true;
    const match = watch.expected.find((expected) => error.source === "console" && expected.pattern.test(error.text));
    if (match) match.seen += 1;
    return !match;
  });
  const missing = watch.expected.filter((expected) => expected.seen === 0);
  if (unexpected.length === 0 && missing.length === 0) return;
  const lines = [
    ...unexpected.map((error) => `  ${error.source} on ${error.pageUrl || "(no page)"}: ${error.text}`),
    ...missing.map((expected) => `  expected but never logged: ${expected.pattern} (${expected.reason})`),
  ];
  throw new Error(`The browser reported errors:\n${lines.join("\n")}`);
}

/**
 * Opens a screen the signed-in role may not use and checks that it answers 403. Chromium logs that document load
 * as a console error, declared here as expected.
 */
export async function gotoForbidden(page: Page, url: string) {
  expectBrowserError(page, failedLoad(403), `${url} answers this role 403`);
  const response = await page.goto(url);
  expect(response?.status(), `HTTP status of GET ${url}`).toBe(403);
}

/** A fresh context (own cookies, own client IP) with E2E_URL as base URL; its console errors are collected. */
export async function newContext(browser: Browser, options: { ip?: string } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: E2E_URL,
    extraHTTPHeaders: { "x-forwarded-for": options.ip ?? uniqueIp() },
  });
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  watchBrowserErrors(context);
  await context.addInitScript(reportPolicyViolations);
  return context;
}

export async function newPage(
  browser: Browser,
  options: { ip?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, options);
  return { context, page: await context.newPage() };
}

/**
 * One browser per test file: launched before the file's tests, every page opened in a test closed after it, and the
 * test failed if any of them logged a console error it did not declare (expectBrowserError).
 * `open()` gives a fresh context (own cookies, own client IP) and page.
 */
export function browserPerFile() {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    const closing = contexts.splice(0);
    // Closing first lets every pending console message arrive; the check then sees them all.
    await Promise.all(closing.map((context) => context.close()));
    for (const context of closing) checkBrowserErrors(context);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async open(options: { ip?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
      if (!browser) throw new Error("browserPerFile(): the browser is launched in beforeAll; open pages inside tests.");
      const opened = await newPage(browser, options);
      contexts.push(opened.context);
      return opened;
    },
    /** A fresh page already signed in as `account`. */
    async signedIn(account: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
      const opened = await this.open();
      await opened.page.goto("/login");
      await signIn(opened.page, account.email, account.password);
      return opened;
    },
  };
}

/** The path of the page's current URL, e.g. "/login". */
export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

/** The path and query of the page's current URL, e.g. "/staff?sort=name". */
export function pathAndQuery(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** Fills the sign-in form and submits it; does not wait for the outcome. */
export async function submitSignIn(page: Page, email: string, password: string) {
  if (pathOf(page) !== "/login") await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Submits the sign-in form, waits for the credentials callback to answer, and returns the form's alert text. */
export async function failedSignIn(page: Page, email: string, password: string): Promise<string> {
  const answered = page.waitForResponse(
    (response) => new URL(response.url()).pathname === "/api/auth/callback/credentials",
  );
  await submitSignIn(page, email, password);
  const status = (await answered).status();
  if (status >= 400) {
    expectBrowserError(page, failedLoad(status), "next-auth's credentials callback answers a refused sign-in so");
  }
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  expect(pathOf(page)).toBe("/login");
  return signInError(page);
}

/**
 * Signs in and waits until the console has loaded on the role's home. The form's callback is `/` (the overview,
 * every role's home) unless the login page was reached with a callbackUrl.
 */
export async function signIn(page: Page, email: string, password: string) {
  await submitSignIn(page, email, password);
  await page.waitForURL((url) => url.pathname !== "/login", { waitUntil: "load" });
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** The sign-in form's alert text, once it shows. */
export async function signInError(page: Page): Promise<string> {
  const alert = page.getByRole("alert").filter({ hasText: /\S/ }).first();
  await alert.waitFor();
  return (await alert.textContent())?.trim() ?? "";
}

export async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor();
  return (await locator.first().textContent())?.trim() ?? "";
}

/** A unique address for staff created by a test. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString("hex")}@e2e.hubby.test`;
}

type StaffRoleLabel = "Admin" | "Campaign manager" | "Support";
export type NewStaffMember = { name: string; email: string; role: StaffRoleLabel; password: string };

/** A staff member for a test to add: a unique address derived from the name, and a password of its own. */
export function newStaffMember(name: string, role: StaffRoleLabel): NewStaffMember {
  const prefix = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return {
    name,
    email: uniqueEmail(prefix),
    role,
    password: `${prefix}-pass-${crypto.randomBytes(4).toString("hex")}`,
  };
}

/**
 * The staff list sorted by last sign-in, where a test's newly added member is easy to find. The default sort (by
 * name) is exercised by staff.test.ts.
 */
export const STAFF_LIST_BY_LAST_SIGN_IN = "/staff?sort=-lastLoginAt";

/**
 * Waits for a console screen by its h1; fails at once, with the error reference, if the console's error screen
 * (app/(console)/error.tsx) shows instead.
 */
export async function expectScreen(page: Page, heading: string) {
  const wanted = page.getByRole("heading", { level: 1, name: heading, exact: true });
  const failed = page.getByRole("heading", { level: 1, name: "This screen could not be shown" });
  await wanted.or(failed).first().waitFor();
  if (await failed.isVisible()) {
    const text = (await page.getByRole("main").textContent())?.replace(/\s+/g, " ").trim();
    throw new Error(`${pathAndQuery(page)} shows the console error screen instead of "${heading}": ${text}`);
  }
  // A screen's heading goes out before what it streams (docs/decisions/0070): rendered means those are in too.
  await page.getByTestId("widget-skeleton").first().waitFor({ state: "detached" });
  // So is its title: after a click in the sidebar, Next.js sets the document's title once the new screen's metadata
  // has streamed in, which can come after its heading; axe checks the title.
  await page
    .waitForFunction(() => document.title.trim() !== "")
    .catch(() => {
      throw new Error(`${pathAndQuery(page)} shows "${heading}" but its document has no title`);
    });
  await expectAccessible(page);
}

/** The axe-core impacts that fail a test: what blocks or seriously hinders someone using assistive technology. */
const FAILING_IMPACTS = new Set(["serious", "critical"]);

/**
 * axe's run, once more if the page navigated under it (a screen that reloads itself, a redirect after an action):
 * the check is of the page that stays, not an error of the test.
 */
async function analyzeSettled(page: Page) {
  for (let attempt = 1; ; attempt++) {
    try {
      // Colour contrast is measured as drawn: a toast fading in is paler than it will be (4.0:1 mid-way, 7:1 once
      // shown). Finite animations are awaited; endless ones (spinners) are not.
      await page.evaluate(() =>
        Promise.all(
          document
            .getAnimations()
            .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
            .map((animation) => animation.finished.catch(() => undefined)),
        ),
      );
      // Frames hold Hubby's own HTML (instruction previews), sandboxed without scripts on purpose: axe cannot run
      // inside them, and waiting for it to try times the journey out. The console's pages are what is checked.
      return await new AxeBuilder({ page }).exclude("iframe").analyze();
    } catch (error) {
      const navigated = /Execution context was destroyed|navigat|Target (page|closed)/i.test(String(error));
      if (!navigated || attempt === 3) throw error;
      await page.waitForLoadState("load");
    }
  }
}

/**
 * Runs axe-core (every rule of its default set) on the page as it is now and fails, listing rule, impact, help and
 * the offending elements, on any serious or critical violation. Minor and moderate findings are left to review.
 * Called by expectScreen(), so every console screen a journey waits for is checked; call it again after opening a
 * dialog or a menu to check what it shows.
 */
export async function expectAccessible(page: Page, what = pathAndQuery(page)) {
  const results = await analyzeSettled(page);
  const failing = results.violations.filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ""));
  if (failing.length === 0) return;
  const lines = failing.flatMap((violation) => [
    `  ${violation.id} (${violation.impact}): ${violation.help}`,
    ...violation.nodes
      .slice(0, 5)
      .map((node) => `    ${node.target.join(" ")}: ${node.failureSummary?.split("\n")[1]?.trim() ?? ""}`),
  ]);
  throw new Error(`axe found serious or critical accessibility violations on ${what}:\n${lines.join("\n")}`);
}

/**
 * As a signed-in admin: invites a staff member through the "Invite staff" dialog (no SMTP in the e2e server, so the
 * dialog shows the link) and answers the invitation link.
 */
export async function inviteStaff(page: Page, member: Omit<NewStaffMember, "password">, listUrl = "/staff") {
  if (pathAndQuery(page) !== listUrl) await page.goto(listUrl);
  await expectScreen(page, "Staff");
  await page.getByRole("button", { name: "Invite staff" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite staff" });
  await dialog.getByLabel("Name", { exact: true }).fill(member.name);
  await dialog.getByLabel("Email", { exact: true }).fill(member.email);
  await dialog.getByLabel("Role", { exact: true }).selectOption({ label: member.role });
  await dialog.getByRole("button", { name: "Create invitation link" }).click();
  const link = await dialog.getByLabel("Invitation link", { exact: true }).inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "hidden" });
  return link;
}

/** Opens an invitation link, chooses the password twice and waits until the new member is signed in. */
export async function acceptInvite(page: Page, link: string, password: string) {
  await page.goto(link);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create my account" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/**
 * As a signed-in admin: adds a staff member the way the console does, by invitation: the admin creates the link and
 * the member accepts it in a browser of their own (closed afterwards, its console errors checked), then the admin
 * waits for their row.
 */
export async function addStaff(page: Page, member: NewStaffMember, listUrl = "/staff") {
  const link = await inviteStaff(page, member, listUrl);
  const browser = page.context().browser();
  if (!browser) throw new Error("addStaff(): the admin's page has no browser.");
  const invitee = await newContext(browser);
  try {
    await acceptInvite(await invitee.newPage(), link, member.password);
  } finally {
    await invitee.close();
  }
  checkBrowserErrors(invitee);
  await page.goto(listUrl);
  await staffRow(page, member.email).waitFor();
}

/** The staff table row of one member (on /staff). */
export function staffRow(page: Page, email: string): Locator {
  return page.getByRole("row").filter({ has: page.getByRole("cell", { name: email, exact: true }) });
}

/** As a signed-in admin on /staff: the id of a staff member, read from the hidden field of their disable dialog. */
export async function staffIdOf(page: Page, email: string, listUrl = "/staff"): Promise<string> {
  if (pathAndQuery(page) !== listUrl) await page.goto(listUrl);
  await page.getByRole("button", { name: `Disable ${email}`, exact: true }).click();
  const dialog = page.getByRole("dialog");
  const id = await dialog.locator('input[name="id"]').inputValue();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id;
}

type ServerReferenceManifest = {
  node?: Record<string, { filename?: string; exportedName?: string; workers?: Record<string, unknown> }>;
};

/** The id of a server action in the production build (.next/server/server-reference-manifest.json). */
export function serverActionId(filename: string, exportedName: string): string {
  const file = path.join(process.cwd(), ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as ServerReferenceManifest;
  const match = Object.entries(manifest.node ?? {}).find(
    ([, entry]) => entry.exportedName === exportedName && entry.filename === filename,
  );
  if (!match) throw new Error(`No server action ${exportedName} from ${filename} in ${file}.`);
  return match[0];
}

/**
 * Calls a server action of the production build the way the browser does (checked against the request the staff
 * Disable dialog sends): the argument list in field "0", the FormData as "$K1" whose entries are the fields prefixed
 * "_1_". The entries must come before "0", so a FormData (ordered) rather than an object (integer keys enumerate
 * first). The request comes from the console's own origin unless `headers` say otherwise.
 */
export function postServerAction(
  context: BrowserContext,
  call: {
    page: string;
    file: string;
    action: string;
    fields: Record<string, string>;
    headers?: Record<string, string>;
  },
): Promise<APIResponse> {
  const form = new FormData();
  for (const [name, value] of Object.entries(call.fields)) form.append(`_1_${name}`, value);
  form.append("0", '[null,"$K1"]');
  return context.request.post(call.page, {
    headers: {
      "Next-Action": serverActionId(call.file, call.action),
      Origin: E2E_URL,
      Accept: "text/x-component",
      ...call.headers,
    },
    multipart: form,
    maxRedirects: 0,
  });
}

/** Checks that a server action answered with the role refusal and did nothing. */
export async function expectRefusedByRole(response: APIResponse) {
  const body = await response.text();
  expect(body).toContain(`"message":"${FORBIDDEN_MESSAGE}"`);
  expect(body).not.toContain('"ok":true');
}

/**
 * Waits, visibly, for the catalog a fresh server reads from Hubby in the background at start (the screen says "being
 * read from Hubby" and reloads itself until it is in). Only if that read failed is Refresh pressed.
 */
export async function ensureCatalog(page: Page) {
  await page.goto("/catalog");
  await expectScreen(page, "Catalog");
  const asOf = page.getByTestId("catalog-as-of");
  await asOf.filter({ hasNotText: "being read from Hubby" }).waitFor({ timeout: 90_000 });
  if ((await textOf(asOf)).includes("never")) {
    await page.getByRole("button", { name: "Refresh from Hubby" }).click();
    await page.getByTestId("destination-GR").waitFor({ timeout: 60_000 });
  }
}

/**
 * Delivers one webhook body to the console's receiver as Hubby would (the sandbox-mode key; no signing secret is set
 * in the e2e console), and expects it accepted. Faster than webhookSend for many events: no child process.
 */
export async function deliverWebhook(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${E2E_URL}/api/webhooks/hubby`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": SANDBOX_CREDENTIALS.webhookApiKey },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

/**
 * Sends one correctly authenticated sample webhook for `externalUserId` through the console's intake (the
 * `webhook:send` script), so the traveler and the event exist; answers what the script printed.
 */
export function webhookSend(event: string, externalUserId: string): string {
  const result = spawnSync(
    path.join(process.cwd(), "node_modules", ".bin", "tsx"),
    [
      "--conditions=react-server",
      "scripts/webhook-send.ts",
      event,
      "--external-user-id",
      externalUserId,
      "--url",
      `${E2E_URL}/api/webhooks/hubby`,
    ],
    { encoding: "utf8", env: { ...process.env, HUBBY_API_BASE_URL: "", HUBBY_WEBHOOK_API_KEY: "" } },
  );
  expect(result.status, result.stderr + result.stdout).toBe(0);
  return result.stdout;
}
