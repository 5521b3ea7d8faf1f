import "server-only";
import { db } from "../db";
import { getEnv, type ConfiguredForwardEndpoint } from "../env";
import { ActionError } from "../errors";
import type { ForwardEndpoint } from "../generated/prisma/client";
import { newSecret } from "./signing";
import type { EndpointInput } from "./schemas";

/**
 * The partner endpoints Hubby's webhooks are forwarded to. Made on the Forwarding screen, or declared in
 * HUBBY_FORWARD_ENDPOINTS: those are brought in step with the variable at every start (syncConfiguredEndpoints),
 * keyed by their URL, and refused by every change made from the screen.
 */

/** How long the previous secret keeps signing after a rotation, so receivers can switch without losing events. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export type EndpointView = Omit<ForwardEndpoint, "secret" | "previousSecret"> & {
  readOnly: boolean;
  headers: Record<string, string>;
};

function view(endpoint: ForwardEndpoint): EndpointView {
  // The secrets never leave this module except once, when made.
  const rest: Partial<ForwardEndpoint> = { ...endpoint };
  delete rest.secret;
  delete rest.previousSecret;
  return {
    ...(rest as Omit<ForwardEndpoint, "secret" | "previousSecret">),
    readOnly: endpoint.source === "config",
    headers: headersOf(endpoint.headers),
  };
}

export function headersOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter((entry): entry is [string, string] => {
      return typeof entry[1] === "string";
    }),
  );
}

export async function listEndpoints(): Promise<EndpointView[]> {
  const rows = await db().forwardEndpoint.findMany({ orderBy: { id: "asc" } });
  return rows.map(view);
}

export async function findEndpoint(id: number): Promise<EndpointView | null> {
  const row = await db().forwardEndpoint.findUnique({ where: { id } });
  return row ? view(row) : null;
}

async function editableEndpoint(id: number): Promise<ForwardEndpoint> {
  const row = await db().forwardEndpoint.findUnique({ where: { id } });
  if (!row) throw new ActionError("This endpoint no longer exists.");
  if (row.source === "config") {
    throw new ActionError("This endpoint is declared in HUBBY_FORWARD_ENDPOINTS; change it there.");
  }
  return row;
}

function columns(input: EndpointInput) {
  return {
    url: input.url,
    description: input.description,
    eventTypes: input.eventTypes,
    enabled: input.enabled,
    rateLimitPerSecond: input.rateLimitPerSecond,
    headers: input.headers,
    ordered: input.ordered,
  };
}

/** Creates an endpoint; its secret is answered here only (the screen shows it once). */
export async function createEndpoint(input: EndpointInput): Promise<{ endpoint: EndpointView; secret: string }> {
  const secret = newSecret();
  const row = await db().forwardEndpoint.create({ data: { ...columns(input), secret, source: "console" } });
  return { endpoint: view(row), secret };
}

export async function updateEndpoint(id: number, input: EndpointInput): Promise<EndpointView> {
  const current = await editableEndpoint(id);
  const reenabled = input.enabled && (!current.enabled || current.disabledAt !== null);
  const row = await db().forwardEndpoint.update({
    where: { id },
    data: {
      ...columns(input),
      // Enabling again clears the automatic disabling and starts the failure window afresh.
      ...(reenabled ? { disabledAt: null, disabledReason: null, failingSince: null } : {}),
    },
  });
  return view(row);
}

export async function deleteEndpoint(id: number): Promise<void> {
  await editableEndpoint(id);
  await db().forwardEndpoint.delete({ where: { id } });
}

/**
 * A new secret, answered once; the old one keeps signing beside it (two signatures per request) for
 * ROTATION_OVERLAP_MS, so the partner can deploy the new one without a gap.
 */
export async function rotateSecret(id: number, now = new Date()): Promise<{ secret: string; overlapUntil: Date }> {
  const current = await editableEndpoint(id);
  const secret = newSecret();
  const overlapUntil = new Date(now.getTime() + ROTATION_OVERLAP_MS);
  await db().forwardEndpoint.update({
    where: { id },
    data: { secret, previousSecret: current.secret, previousSecretUntil: overlapUntil },
  });
  return { secret, overlapUntil };
}

/** The secrets that sign a request at `at`: the current one, and the previous one during its overlap. */
export function signingSecrets(
  endpoint: Pick<ForwardEndpoint, "secret" | "previousSecret" | "previousSecretUntil">,
  at: Date,
): string[] {
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > at) {
    secrets.push(endpoint.previousSecret);
  }
  return secrets;
}

/**
 * Brings the endpoints of HUBBY_FORWARD_ENDPOINTS into the database: new URLs are added, known ones take the
 * declared secret and events, and ones no longer declared are disabled (their delivery log stays).
 */
export async function syncConfiguredEndpoints(
  declared: ConfiguredForwardEndpoint[] = getEnv().HUBBY_FORWARD_ENDPOINTS,
): Promise<void> {
  const keys = declared.map((endpoint) => endpoint.url);
  for (const endpoint of declared) {
    const data = {
      url: endpoint.url,
      secret: endpoint.secret,
      eventTypes: endpoint.events ?? [],
      source: "config",
      enabled: true,
      description: "Declared in HUBBY_FORWARD_ENDPOINTS",
    };
    await db().forwardEndpoint.upsert({
      where: { configKey: endpoint.url },
      create: { ...data, configKey: endpoint.url },
      update: data,
    });
  }
  await db().forwardEndpoint.updateMany({
    where: { source: "config", configKey: { notIn: keys }, enabled: true },
    data: { enabled: false, disabledAt: new Date(), disabledReason: "No longer declared in HUBBY_FORWARD_ENDPOINTS." },
  });
}
