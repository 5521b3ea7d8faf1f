import "server-only";
import dns from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from "request-filtering-agent";

/**
 * POSTs to addresses that staff or configuration supply (forwarded webhooks, the alerts' chat webhook) go out here,
 * through request-filtering-agent: it refuses loopback, link-local, private and meta addresses after DNS resolution
 * (so a hostname that resolves to one is refused too), unless the caller's setting allows private addresses.
 * Keep-alive agents, created once per process, because the same few URLs get every request. Redirects are not
 * followed (a redirect would be a second, unchecked destination).
 */

export type PostOutcome =
  | { kind: "reply"; status: number; reply: string; latencyMs: number }
  | { kind: "error"; error: string; latencyMs: number };

type Agents = { http: http.Agent; https: https.Agent };
const globalAgents = globalThis as typeof globalThis & { __outboundAgents?: { filtered: Agents; open: Agents } };

function agents(allowPrivate: boolean): Agents {
  globalAgents.__outboundAgents ??= {
    filtered: {
      http: new RequestFilteringHttpAgent({ keepAlive: true, maxSockets: 64 }),
      https: new RequestFilteringHttpsAgent({ keepAlive: true, maxSockets: 64 }),
    },
    open: {
      http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
      https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
    },
  };
  return allowPrivate ? globalAgents.__outboundAgents.open : globalAgents.__outboundAgents.filtered;
}

/** request-filtering-agent's refusal: `DNS lookup 127.0.0.1(family:4, host:localhost) is not allowed. …` */
const REFUSAL = /^DNS lookup (\S+?)\(family:[^,]*, host:([^)]*)\) is not allowed/;

/** The agent's refusal in words staff can act on; other errors as they are. */
export function describeOutboundError(message: string, allowSetting: string): string {
  const refused = REFUSAL.exec(message);
  if (!refused) return message;
  const [, address, host] = refused;
  // For an IP literal the agent names no host ("host:undefined").
  const where = host && host !== "undefined" && host !== address ? `${host} (${address})` : address;
  return `${where} is a loopback, private or link-local address, refused unless ${allowSetting}=true.`;
}

export type PostOptions = {
  allowPrivate: boolean;
  timeoutMs: number;
  /** The first bytes of the reply kept in the outcome. */
  keptReplyBytes: number;
};

/** One POST of `body`; answers the reply (any status) or the error, never throws. */
export function postOutbound(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  options: PostOptions,
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
          if (size < options.keptReplyBytes) kept.push(chunk.subarray(0, options.keptReplyBytes - size));
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
    const timer = setTimeout(() => {
      request.destroy();
      finish({ kind: "error", error: `No complete reply within ${options.timeoutMs / 1000} s.`, latencyMs: latency() });
    }, options.timeoutMs);
    request.on("error", (error) => finish({ kind: "error", error: error.message.slice(0, 500), latencyMs: latency() }));
    request.end(body);
  });
}

/**
 * Whether a URL's host is (or resolves to) an address the filtering agent would refuse, checked when the URL is
 * saved so staff see it at once instead of in a later delivery error. The agent's own check still decides at send
 * time (DNS may change). A host that does not resolve now is not refused here: the delivery will say why.
 */
export async function refusedDestination(url: string, allowSetting: string): Promise<string | null> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true })).map((entry) => entry.address);
    } catch {
      return null;
    }
  }
  const refused = addresses.find((address) => ipaddr.parse(address).range() !== "unicast");
  if (!refused) return null;
  const where = refused === host ? refused : `${host} (${refused})`;
  return `${where} is a loopback, private or link-local address, refused unless ${allowSetting}=true.`;
}
