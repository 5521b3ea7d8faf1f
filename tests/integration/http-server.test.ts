import net from "node:net";
import type http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createConsoleServer, type ConsoleServerOptions } from "@/lib/server/http-server";

// The console's HTTP server limits, on a real socket: slow headers and slow bodies get 408 and a closed
// connection; cross-origin writes get 403; X-Forwarded-* is dropped unless a proxy is trusted.
let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function start(options: Partial<ConsoleServerOptions> = {}) {
  const seen: http.IncomingHttpHeaders[] = [];
  server = createConsoleServer(
    {
      trustProxy: false,
      uploadPaths: ["/upload"],
      originExemptPaths: ["/webhook"],
      ownBodyLimitPaths: ["/upload", "/webhook"],
      maxBodyBytes: 1024,
      timeouts: { headersMs: 300, bodyMs: 400, uploadMs: 1_500 },
      ...options,
    },
    (request, response) => {
      seen.push(request.headers);
      // Read the body a moment later, as Next.js does after its own routing: nothing may have taken it meanwhile.
      setTimeout(async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks).toString();
        response.end(body ? `ok:${body}` : "ok");
      }, 20);
    },
  );
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, seen };
}

/** Opens a raw connection, writes `first`, then keeps dribbling `drip` every 100 ms; resolves with what came back. */
function slowClient(port: number, first: string, drip: string) {
  return new Promise<{ reply: string; ms: number }>((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, "127.0.0.1", () => socket.write(first));
    let reply = "";
    const timer = setInterval(() => socket.writable && socket.write(drip), 100);
    socket.on("data", (chunk) => (reply += chunk.toString()));
    const done = () => {
      clearInterval(timer);
      resolve({ reply, ms: performance.now() - started });
    };
    socket.on("close", done);
    socket.on("error", done);
  });
}

describe("console HTTP server", () => {
  it("hands the whole body to the handler, however late it reads it", async () => {
    const { port } = await start();
    const response = await fetch(`http://127.0.0.1:${port}/form`, { method: "POST", body: "csrfToken=abc&x=1" });
    expect(await response.text()).toBe("ok:csrfToken=abc&x=1");
  });

  it("answers 408 and closes a connection whose headers arrive too slowly", async () => {
    const { port } = await start();
    const { reply, ms } = await slowClient(port, "GET / HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n");
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(5_000);
  });

  it("answers 408 and closes a connection whose body arrives too slowly", async () => {
    const { port } = await start();
    const head = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n";
    const { reply, ms } = await slowClient(port, head, "a");
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(reply).toContain("Request body not received in time.");
    expect(ms).toBeLessThan(5_000);
  });

  it("gives the upload path its longer body limit", async () => {
    const { port } = await start();
    const started = performance.now();
    const head = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
    const { reply } = await slowClient(port, head, "a");
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(performance.now() - started).toBeGreaterThan(1_000);
  });

  it("refuses a declared body over the limit with 413 before the handler; a streamed one passes", async () => {
    const { port, seen } = await start();
    const big = await fetch(`http://127.0.0.1:${port}/action`, { method: "POST", body: "x".repeat(2048) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ ok: false, message: expect.stringMatching(/larger than/) });
    const chunked = await fetch(`http://127.0.0.1:${port}/action`, {
      method: "POST",
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("x"));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    // Next.js forwards a server action to the worker that holds it this way, through this server.
    expect(chunked.status).toBe(200);
    expect(seen).toHaveLength(1);
    // The upload path reads and caps its own body.
    expect((await fetch(`http://127.0.0.1:${port}/upload`, { method: "POST", body: "x".repeat(2048) })).status).toBe(
      200,
    );
  });

  it("refuses a cross-origin write with 403, and a forged X-Forwarded-Host does not make it same-origin", async () => {
    const { port, seen } = await start();
    const post = (headers: Record<string, string>, path = "/action") =>
      fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", headers, body: "x" });
    const evil = await post({ origin: "https://evil.example", "next-action": "abc" });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toEqual({ ok: false, message: "Cross-origin request refused." });
    const forged = await post({ origin: "https://evil.example", "x-forwarded-host": "evil.example" });
    expect(forged.status).toBe(403);
    expect(seen).toHaveLength(0);

    expect((await post({ origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await post({})).status).toBe(200);
    expect((await post({ origin: "https://hubby.example" }, "/webhook")).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/`, { headers: { origin: "https://evil.example" } })).status).toBe(
      200,
    );
    // Forwarded headers never reach the handler from an untrusted client: X-Forwarded-For is the peer's address.
    await post({ origin: `http://127.0.0.1:${port}`, "x-forwarded-for": "1.2.3.4", "x-forwarded-host": "evil" });
    expect(seen.at(-1)).toMatchObject({ "x-forwarded-for": "127.0.0.1" });
    expect(seen.at(-1)).not.toHaveProperty("x-forwarded-host");
  });

  it("behind a trusted proxy, keeps X-Forwarded-* and accepts the public URL's origin", async () => {
    const { port, seen } = await start({ trustProxy: true, publicUrl: "https://console.partner.example" });
    const ok = await fetch(`http://127.0.0.1:${port}/action`, {
      method: "POST",
      headers: { origin: "https://console.partner.example", "x-forwarded-for": "1.2.3.4" },
      body: "x",
    });
    expect(ok.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ "x-forwarded-for": "1.2.3.4" });
  });
});
