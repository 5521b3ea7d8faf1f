import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type ReceivedWebhook = {
  webhookId: string;
  timestamp: string;
  signature: string;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
  /** Whether the signature verified, with standardwebhooks, against each of the receiver's secrets. */
  verifiedWith: boolean[];
};

/**
 * A partner's webhook endpoint on a loopback port (port 0): records every request, verifies its signature with
 * the standardwebhooks package against the secrets it was given, and answers `status()` (200 unless told).
 */
export async function startForwardReceiver(options: { secrets?: string[]; status?: () => number } = {}) {
  const received: ReceivedWebhook[] = [];
  const receiver = {
    secrets: options.secrets ?? [],
    status: options.status ?? (() => 200),
    received,
    url: "",
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const header = (name: string) => String(request.headers[name] ?? "");
      const verifiedWith = receiver.secrets.map((secret) => {
        try {
          new Webhook(secret).verify(body.toString("utf8"), {
            "webhook-id": header("webhook-id"),
            "webhook-timestamp": header("webhook-timestamp"),
            "webhook-signature": header("webhook-signature"),
          });
          return true;
        } catch {
          return false;
        }
      });
      received.push({
        webhookId: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body,
        headers: request.headers,
        verifiedWith,
      });
      const status = receiver.status();
      response.writeHead(status, { "content-type": "text/plain" });
      response.end(`answered ${status}`);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
