import http from "node:http";
import https from "node:https";

/**
 * One HTTP exchange with keep-alive connection reuse, a connect timeout and a total timeout. Node's fetch cannot
 * set a connect timeout without undici's Agent, and this is all the client needs.
 */

export type HttpReply = { status: number; headers: http.IncomingHttpHeaders; body: string };

export type HttpRequest = {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxResponseBytes?: number;
};

export type TransportFailure = "connect_timeout" | "timeout" | "network" | "too_large";

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

/**
 * An idle socket is dropped after 4 s (`timeout` applies to free sockets; requests have their own deadlines below):
 * shorter than common server keep-alive timeouts (5 s and up), so a POST is not written on a socket the server is
 * closing at that moment, which fails with ECONNRESET and leaves the booking's fate unknown.
 */
const agentOptions = { keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 32, maxFreeSockets: 8, timeout: 4_000 };
const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };

const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export function sendHttp(request: HttpRequest): Promise<HttpReply> {
  const { url } = request;
  const protocol = url.protocol === "https:" ? "https:" : "http:";
  const transport = protocol === "https:" ? https : http;
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  return new Promise<HttpReply>((resolve, reject) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (error: Error | null, reply?: HttpReply) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      if (error) reject(error);
      else resolve(reply!);
    };

    const req = transport.request(
      url,
      {
        method: request.method,
        agent: agents[protocol],
        headers: {
          ...request.headers,
          ...(request.body !== undefined ? { "content-length": String(Buffer.byteLength(request.body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(new TransportError("too_large", `response larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () =>
          finish(null, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", (error) => finish(asTransportError(error)));
      },
    );

    timers.push(
      setTimeout(() => {
        req.destroy(new TransportError("timeout", `no complete response within ${request.totalTimeoutMs} ms`));
      }, request.totalTimeoutMs),
    );

    req.on("socket", (socket) => {
      // A reused keep-alive socket is already connected; only a fresh one gets the connect deadline.
      if (!socket.connecting) return;
      const connectTimer = setTimeout(() => {
        req.destroy(new TransportError("connect_timeout", `could not connect within ${request.connectTimeoutMs} ms`));
      }, request.connectTimeoutMs);
      timers.push(connectTimer);
      socket.once("connect", () => clearTimeout(connectTimer));
    });
    req.on("error", (error) => finish(asTransportError(error)));

    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

function asTransportError(error: Error): TransportError {
  if (error instanceof TransportError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new TransportError("network", code ? `${code}: ${error.message}` : error.message);
}
