import "server-only";
import http from "node:http";
import https from "node:https";
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from "request-filtering-agent";
import { ATTEMPT_TIMEOUT_MS, KEPT_REPLY_BYTES } from "./schedule";

/**
 * The one way forwarded webhooks leave the console: a POST through request-filtering-agent, which refuses
 * loopback, link-local, private and meta addresses after DNS resolution (so a hostname that resolves to one is
 * refused too), unless HUBBY_FORWARD_ALLOW_PRIVATE lets a partner's internal backend be reached. Keep-alive agents,
 * created once per process, because the same few endpoints get every event. Redirects are not followed.
 */

export type PostOutcome =
  | { kind: "reply"; status: number; reply: string; latencyMs: number }
  | { kind: "error"; error: string; latencyMs: number };

type Agents = { http: http.Agent; https: https.Agent };
const globalAgents = globalThis as typeof globalThis & { __forwardAgents?: { filtered: Agents; open: Agents } };

function agents(allowPrivate: boolean): Agents {
  globalAgents.__forwardAgents ??= {
    filtered: {
      http: new RequestFilteringHttpAgent({ keepAlive: true, maxSockets: 64 }),
      https: new RequestFilteringHttpsAgent({ keepAlive: true, maxSockets: 64 }),
    },
    open: {
      http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
      https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
    },
  };
  return allowPrivate ? globalAgents.__forwardAgents.open : globalAgents.__forwardAgents.filtered;
}

export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  options: { allowPrivate: boolean; timeoutMs?: number },
): Promise<PostOutcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const target = new URL(url);
  const secure = target.protocol === "https:";
  const pool = agents(options.allowPrivate);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = (secure ? https : http).request(
      target,
      {
        method: "POST",
        agent: secure ? pool.https : pool.http,
        headers: { ...headers, "content-type": "application/json", "content-length": String(body.length) },
      },
      (response) => {
        const kept: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (size < KEPT_REPLY_BYTES) kept.push(chunk.subarray(0, KEPT_REPLY_BYTES - size));
          size += chunk.length;
        });
        const done = () =>
          finish({
            kind: "reply",
            status: response.statusCode ?? 0,
            reply: Buffer.concat(kept).toString("utf8").replaceAll("\0", "\uFFFD"),
            latencyMs: latency(),
          });
        response.on("end", done);
        response.on("error", done);
      },
    );
    const timeoutMs = options.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      request.destroy();
      finish({ kind: "error", error: `No complete reply within ${timeoutMs / 1000} s.`, latencyMs: latency() });
    }, timeoutMs);
    request.on("error", (error) => finish({ kind: "error", error: error.message.slice(0, 500), latencyMs: latency() }));
    request.end(body);
  });
}
