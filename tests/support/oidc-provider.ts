import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

/**
 * A real OpenID Connect provider for tests (the `oidc-provider` package, certified by the OpenID Foundation): one
 * confidential client for the console, discovery, authorization code flow with PKCE, signed ID tokens, userinfo.
 * Its own sign-in page asks only for a username from `accounts`, whose claims (groups included) the test may change
 * between sign-ins; consent is implied for the console, as a company's IdP does for its own apps. Loopback only.
 */

export type OidcAccount = { email: string; name: string; groups: string[]; emailVerified?: boolean };

export type OidcProviderHandle = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Username → account; change an entry to change what the next sign-in reports. */
  accounts: Map<string, OidcAccount>;
  close(): Promise<void>;
};

const page = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>` +
  `<body><main><h1>Test identity provider</h1>${body}</main></body></html>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startOidcProvider(options: { redirectUri: string }): Promise<OidcProviderHandle> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "hubby-console";
  const clientSecret = crypto.randomBytes(24).toString("base64url");
  const accounts = new Map<string, OidcAccount>();
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" }] },
    cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    features: { devInteractions: { enabled: false } },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: account.email,
          email_verified: account.emailVerified ?? true,
          name: account.name,
          groups: account.groups,
        }),
      };
    },
    // The console is the company's own app: no consent screen (oidc-provider's documented first-party recipe).
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();

  async function interaction(request: http.IncomingMessage, response: http.ServerResponse) {
    const details = await provider.interactionDetails(request, response);
    if (request.method === "POST") {
      const body = new URLSearchParams(await readBody(request));
      const login = body.get("login") ?? "";
      if (!accounts.has(login)) {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end(page(`<p role="alert">No user ${escapeHtml(login)} here.</p>`));
        return;
      }
      await provider.interactionFinished(
        request,
        response,
        { login: { accountId: login } },
        {
          mergeWithLastSubmission: false,
        },
      );
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(
      page(
        `<form method="post" action="/interaction/${escapeHtml(details.uid)}">` +
          `<label>Username <input name="login" autocomplete="off"></label>` +
          `<button type="submit">Continue to the console</button></form>`,
      ),
    );
  }

  server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
    const path = new URL(request.url ?? "/", issuer).pathname;
    if (path === "/favicon.ico") {
      response.writeHead(204).end();
      return;
    }
    if (/^\/interaction\/[^/]+$/.test(path)) {
      interaction(request, response).catch((error: unknown) => {
        response.writeHead(500, { "content-type": "text/plain" });
        response.end(error instanceof Error ? error.message : String(error));
      });
      return;
    }
    void callback(request, response);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > 10_000) request.destroy(new Error("body too large"));
    });
    request.on("end", () => resolve(text));
    request.on("error", reject);
  });
}
