import crypto from "node:crypto";

export const WEBHOOK_KEY = "whk_integration_key";
export const SIGNING_SECRET = "whsec_integration";

export function envelope(event: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return JSON.stringify({ event, timestamp: "2026-07-15T14:30:00Z", data, ...extra });
}

export function sign(body: string, timestamp = String(Math.floor(Date.now() / 1000)), secret = SIGNING_SECRET) {
  return `sha256=${crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export function webhookRequest(body: string, headers: Record<string, string> = {}) {
  return new Request("http://console.test/api/webhooks/hubby", {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": WEBHOOK_KEY, ...headers },
    body,
  });
}
