import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "./env";

/**
 * Outgoing email through the SMTP server of SMTP_URL (nodemailer). Without SMTP_URL the console sends no email:
 * callers ask mailConfigured() first and offer another way (the invite dialog shows a link to copy).
 */

export type MailMessage = { to: string | string[]; subject: string; text: string; html?: string; from?: string };

let transport: { url: string; transporter: Transporter } | undefined;

/** Whether SMTP_URL is set, i.e. whether sendMail can deliver anything. */
export function mailConfigured(): boolean {
  return Boolean(getEnv().SMTP_URL);
}

/** One transporter per SMTP_URL (re-created when tests change it), with short timeouts so a dead server fails fast. */
function transporter(url: string): Transporter {
  if (transport?.url !== url) {
    transport?.transporter.close();
    const options = nodemailer.createTransport(url).options as Record<string, unknown>;
    transport = {
      url,
      transporter: nodemailer.createTransport({
        ...options,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      }),
    };
  }
  return transport.transporter;
}

/**
 * Sends one message from MAIL_FROM (unless `from` is given); resolves with the server's message id once the SMTP
 * server accepted it. Throws when SMTP_URL is unset or the server refuses; the error message names the cause but
 * never the SMTP credentials.
 */
export async function sendMail(message: MailMessage): Promise<{ messageId: string }> {
  const url = getEnv().SMTP_URL;
  if (!url) throw new Error("Email is not configured: set SMTP_URL to send email.");
  try {
    const info = await transporter(url).sendMail({
      from: message.from ?? getEnv().MAIL_FROM,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html !== undefined ? { html: message.html } : {}),
    });
    return { messageId: String(info.messageId ?? "") };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The email could not be sent: ${redactUrlCredentials(reason)}`);
  }
}

/** nodemailer's errors may quote the connection URL; the password in it must not reach a log or a screen. */
function redactUrlCredentials(text: string): string {
  return text.replace(/(smtps?:\/\/)[^@\s/]+@/gi, "$1…@");
}
