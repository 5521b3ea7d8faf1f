import type http from "node:http";
import type net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { authorizeCredentials, clientIp, THROTTLED_ERROR } from "@/lib/auth/options";
import { THROTTLE_MAX_FAILURES } from "@/lib/auth/throttle";
import { createConsoleServer } from "@/lib/server/http-server";

// The per-IP sign-in throttle behind the console's own server, on a real socket: the address it counts is the one
// the server (or a trusted proxy) saw, never one the client wrote into X-Forwarded-For. The handler does what
// next-auth's credentials provider does (lib/auth/options.ts): authorizeCredentials(body, clientIp(headers)).
let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function start(trustProxy: boolean): Promise<number> {
  server = createConsoleServer({ trustProxy }, (request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      let outcome: string;
      try {
        const user = await authorizeCredentials(
          JSON.parse(Buffer.concat(chunks).toString()),
          clientIp(request.headers),
        );
        outcome = user ? "signed-in" : "refused";
      } catch (error) {
        outcome = error instanceof Error && error.message === THROTTLED_ERROR ? "throttled" : "error";
      }
      response.end(outcome);
    })();
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

let emailCounter = 0;
/** A new account each time, so that only the per-IP count can throttle. */
const freshEmail = () => `nobody-${Date.now()}-${++emailCounter}@throttle.test`;

function signIn(port: number, forwardedFor: string) {
  return fetch(`http://127.0.0.1:${port}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ email: freshEmail(), password: "wrong-password" }),
  }).then((response) => response.text());
}

const spoofed = (attempt: number) => `198.51.100.${attempt}`;

describe("per-IP sign-in throttling and X-Forwarded-For", () => {
  it("without TRUST_PROXY, a made-up X-Forwarded-For per attempt does not dodge the per-IP count", async () => {
    const port = await start(false);
    for (let attempt = 1; attempt <= THROTTLE_MAX_FAILURES; attempt++) {
      expect(await signIn(port, spoofed(attempt)), `attempt ${attempt}`).toBe("refused");
    }
    // All five were counted against the connection's address, 127.0.0.1, whatever the header said.
    expect(await signIn(port, spoofed(99))).toBe("throttled");
  });

  it("with TRUST_PROXY, the proxy's X-Forwarded-For is believed: each address is counted as its own", async () => {
    const port = await start(true);
    for (let attempt = 1; attempt <= THROTTLE_MAX_FAILURES + 2; attempt++) {
      expect(await signIn(port, `203.0.113.${attempt}`), `attempt ${attempt}`).toBe("refused");
    }
  });

  it("with TRUST_PROXY, the hops a client wrote before the proxy's own do not dodge the count", async () => {
    // A proxy appends the address it saw to the client's header: "<whatever the client sent>, <client address>".
    // The first hop used to be taken, so a new made-up first hop per attempt was never throttled.
    const port = await start(true);
    const viaProxy = (attempt: number) => `${spoofed(attempt)}, 192.0.2.44`;
    for (let attempt = 1; attempt <= THROTTLE_MAX_FAILURES; attempt++) {
      expect(await signIn(port, viaProxy(attempt)), `attempt ${attempt}`).toBe("refused");
    }
    expect(await signIn(port, viaProxy(99))).toBe("throttled");
    // Another client behind the same proxy is not.
    expect(await signIn(port, `${spoofed(1)}, 192.0.2.45`)).toBe("refused");
  });
});
