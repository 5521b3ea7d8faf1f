import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "./env";

/**
 * The console's one way to send email: nodemailer over SMTP_URL (smtp:// or smtps://, credentials in the URL).
 * Without SMTP_URL nothing is sent: callers ask mailConfigured() first (the sandbox runs without a mail server).
 */

export type MailMessage = { to: string | string[]; subject: string; text: string; html?: string; from?: string };

// One pooled transport per URL and process (tests change SMTP_URL between files).
let transport: { url: string; transporter: Transporter } | null = null;

function transporterFor(url: string): Transporter {
  if (transport?.url !== url) {
    transport?.transporter.close();
    transport = { url, transporter: nodemailer.createTransport(url) };
  }
  return transport.transporter;
}

export function mailConfigured(): boolean {
  return Boolean(getEnv().SMTP_URL);
}

/** Sends one message; rejects with the SMTP server's reason when it refuses or cannot be reached. */
export async function sendMail(message: MailMessage): Promise<{ messageId: string }> {
  const env = getEnv();
  if (!env.SMTP_URL) throw new Error("No email can be sent: SMTP_URL is not set.");
  const info = await transporterFor(env.SMTP_URL).sendMail({
    from: message.from ?? env.MAIL_FROM,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
  });
  return { messageId: info.messageId };
}
