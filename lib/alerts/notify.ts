import "server-only";
import { may } from "../auth/roles";
import { db } from "../db";
import { getEnv } from "../env";
import { ActionError } from "../errors";
import { mailConfigured, sendMail } from "../mail";
import { describeOutboundError, postOutbound } from "../outbound";
import type { DigestTraveler } from "./conditions";
import { alertRules, roleEmailDefaults, type AlertRuleKey } from "./rules";
import { chatWebhook } from "./settings";

/**
 * Delivers one incident's news (opened, reminder, resolved) by email to the staff subscribed to its rule and to the
 * chat webhook. The in-app bell needs no delivery: it reads the incidents. A failed delivery is recorded on the
 * incident (deliveryError) and never undoes the incident: the next reminder is the next chance.
 */

export type NoticeKind = "opened" | "reminder" | "resolved";

export type IncidentNotice = {
  id: string;
  ruleKey: AlertRuleKey;
  title: string;
  summary: string;
  link: string;
  details: unknown;
};

const kindLabels: Record<NoticeKind, string> = { opened: "Alert", reminder: "Still open", resolved: "Resolved" };

/** The console's public address, for links in emails and chat (NEXTAUTH_URL behind a proxy). */
export function consoleUrl(): string {
  const env = getEnv();
  return (env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}

const absolute = (path: string) => `${consoleUrl()}${path}`;

function digestTravelers(details: unknown): { travelers: DigestTraveler[]; total: number } | null {
  if (!details || typeof details !== "object" || !("travelers" in details)) return null;
  const { travelers, total } = details as { travelers: DigestTraveler[]; total: number };
  return Array.isArray(travelers) ? { travelers, total: Number(total) || travelers.length } : null;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function emailFor(notice: IncidentNotice, kind: NoticeKind) {
  const digest = kind === "resolved" ? null : digestTravelers(notice.details);
  const subject = `[Hubby console] ${kindLabels[kind]}: ${notice.title}`;
  const lead = kind === "resolved" ? `Resolved: the condition is no longer true.\n\n${notice.summary}` : notice.summary;
  const lines = [lead, "", `Open: ${absolute(notice.link)}`];
  if (digest) {
    lines.push("", "Travelers:");
    for (const traveler of digest.travelers) {
      lines.push(`- ${traveler.externalUserId} (${traveler.note}): ${absolute(traveler.link)}`);
    }
    if (digest.total > digest.travelers.length) lines.push(`…and ${digest.total - digest.travelers.length} more.`);
  }
  lines.push("", `Incident: ${absolute(`/alerts?incident=${notice.id}`)}`, "Choose your alert emails on My account.");
  const html = [
    `<p>${escapeHtml(lead).replace(/\n/g, "<br>")}</p>`,
    `<p><a href="${escapeHtml(absolute(notice.link))}">Open in the console</a></p>`,
    digest
      ? `<ul>${digest.travelers
          .map(
            (traveler) =>
              `<li><a href="${escapeHtml(absolute(traveler.link))}">${escapeHtml(traveler.externalUserId)}</a> ${escapeHtml(traveler.note)}</li>`,
          )
          .join("")}</ul>${
          digest.total > digest.travelers.length ? `<p>…and ${digest.total - digest.travelers.length} more.</p>` : ""
        }`
      : "",
    `<p><a href="${escapeHtml(absolute(`/alerts?incident=${notice.id}`))}">The incident</a> · choose your alert emails on My account.</p>`,
  ].join("");
  return { subject, text: lines.join("\n"), html };
}

/** Slack's incoming-webhook JSON: `text` with mrkdwn links (<url|label>). Teams and Google Chat: see docs/guide.md, "Alerts". */
export function chatMessageFor(notice: IncidentNotice, kind: NoticeKind): { text: string } {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const lines = [`*${kindLabels[kind]}*: <${absolute(notice.link)}|${escape(notice.title)}>`, escape(notice.summary)];
  const digest = kind === "resolved" ? null : digestTravelers(notice.details);
  if (digest) {
    for (const traveler of digest.travelers.slice(0, 20)) {
      lines.push(`• <${absolute(traveler.link)}|${escape(traveler.externalUserId)}> ${escape(traveler.note)}`);
    }
    if (digest.total > 20) lines.push(`…and ${digest.total - 20} more: <${absolute(notice.link)}|the list>`);
  }
  return { text: lines.join("\n") };
}

/** Enabled staff who get this rule's email: their own choice, else their role's default; never a rule they cannot see. */
export async function emailRecipients(ruleKey: AlertRuleKey): Promise<string[]> {
  const [staff, choices] = await Promise.all([
    db().staffUser.findMany({ where: { disabled: false }, select: { id: true, email: true, role: true } }),
    db().alertSubscription.findMany({ where: { ruleKey }, select: { staffId: true, email: true } }),
  ]);
  const chosen = new Map(choices.map((choice) => [choice.staffId, choice.email]));
  const permission = alertRules[ruleKey].permission;
  return staff
    .filter((member) => may(member, permission))
    .filter((member) => chosen.get(member.id) ?? roleEmailDefaults[member.role].includes(ruleKey))
    .map((member) => member.email)
    .sort();
}

const CHAT_TIMEOUT_MS = 10_000;
/** The setting that lets the chat webhook reach private addresses, named in refusals so staff know what to set. */
const CHAT_ALLOW_SETTING = "ALERT_CHAT_ALLOW_PRIVATE";

/**
 * Posts one message to the chat webhook through the filtering agent (lib/outbound.ts): the URL is typed by an
 * admin, so without ALERT_CHAT_ALLOW_PRIVATE it may not reach the console's own network. Throws a sentence.
 */
async function postChat(url: string, body: { text: string }): Promise<void> {
  const outcome = await postOutbound(url, {}, Buffer.from(JSON.stringify(body), "utf8"), {
    allowPrivate: getEnv().ALERT_CHAT_ALLOW_PRIVATE,
    timeoutMs: CHAT_TIMEOUT_MS,
    keptReplyBytes: 500,
  });
  if (outcome.kind === "error") throw new Error(describeOutboundError(outcome.error, CHAT_ALLOW_SETTING));
  if (outcome.status < 200 || outcome.status > 299) {
    throw new Error(`the chat webhook answered HTTP ${outcome.status}`);
  }
}

export async function deliver(notice: IncidentNotice, kind: NoticeKind): Promise<void> {
  const problems: string[] = [];
  if (mailConfigured()) {
    const recipients = await emailRecipients(notice.ruleKey);
    const message = emailFor(notice, kind);
    const from = getEnv().ALERT_EMAIL_FROM;
    for (const to of recipients) {
      try {
        await sendMail({ to, ...message, ...(from ? { from } : {}) });
      } catch (error) {
        problems.push(`email to ${to}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  const chat = await chatWebhook();
  if (chat.url) {
    try {
      await postChat(chat.url, chatMessageFor(notice, kind));
    } catch (error) {
      problems.push(`chat: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length) console.error(`[alerts] incident ${notice.id}: ${problems.join("; ")}`);
  await db().alertIncident.update({
    where: { id: BigInt(notice.id) },
    data: { deliveryError: problems.length ? problems.join("; ").slice(0, 2_000) : null },
  });
}

/**
 * "Send a test message" on the rules screen: posts to the chat webhook in use, so an admin sees at once whether it
 * is refused, unreachable or answered (an ActionError with the reason, never a stack trace).
 */
export async function sendChatTest(): Promise<{ fromEnv: boolean }> {
  const chat = await chatWebhook();
  if (!chat.url) throw new ActionError("No chat webhook is set: save one first.");
  try {
    await postChat(chat.url, {
      text: `*Test*: the Hubby console's alerts reach this channel. <${absolute("/alerts")}|Open the alerts>`,
    });
  } catch (error) {
    throw new ActionError(
      `The chat webhook did not take the test message: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { fromEnv: chat.fromEnv };
}
