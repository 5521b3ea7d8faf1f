"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { forwardEventAgain, recoverFailed, retryMessage, sendTestEvent } from "@/lib/forwarding/delivery";
import { createEndpoint, deleteEndpoint, rotateSecret, updateEndpoint } from "@/lib/forwarding/endpoints";
import { endpointInputSchema } from "@/lib/forwarding/schemas";

const endpointId = z.coerce.number().int().min(1, "Not an endpoint.").max(2_147_483_647);
const bigId = z
  .string()
  .regex(/^\d{1,19}$/, "Not an id.")
  .transform((value) => BigInt(value));
const endpointSubject = (id: number) => ({ targetType: "forward_endpoint", targetId: String(id) });

/** Adds an endpoint; its secret comes back this once, to be shown and copied. */
export async function createEndpointAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ id: number; url: string; secret: string }>> {
  return runAction(
    {
      action: "forwarding.endpoint.create",
      permission: "forwarding.manage",
      schema: endpointInputSchema,
      run: async (input) => {
        const { endpoint, secret } = await createEndpoint(input);
        return { id: endpoint.id, url: endpoint.url, secret };
      },
      // The secret is never written to the audit log.
      audit: ({ id, url }, input) => ({
        ...endpointSubject(id),
        details: { url, eventTypes: input.eventTypes, enabled: input.enabled },
      }),
      revalidate: ["/forwarding"],
    },
    form,
  );
}

export async function updateEndpointAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: number }>> {
  return runAction(
    {
      action: "forwarding.endpoint.update",
      permission: "forwarding.manage",
      schema: endpointInputSchema.extend({ id: endpointId }),
      subject: ({ id }) => endpointSubject(id),
      run: async ({ id, ...input }) => ({ id: (await updateEndpoint(id, input)).id }),
      audit: (_result, input) => ({
        details: {
          url: input.url,
          eventTypes: input.eventTypes,
          enabled: input.enabled,
          ordered: input.ordered,
          rateLimitPerSecond: input.rateLimitPerSecond,
          headerNames: Object.keys(input.headers),
        },
      }),
      revalidate: ["/forwarding"],
    },
    form,
  );
}

export async function deleteEndpointAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: number }>> {
  return runAction(
    {
      action: "forwarding.endpoint.delete",
      permission: "forwarding.manage",
      schema: z.object({ id: endpointId }),
      subject: ({ id }) => endpointSubject(id),
      run: async ({ id }) => {
        await deleteEndpoint(id);
        return { id };
      },
      audit: () => ({}),
      revalidate: ["/forwarding"],
    },
    form,
  );
}

export async function rotateSecretAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ secret: string; overlapUntil: string }>> {
  return runAction(
    {
      action: "forwarding.endpoint.rotate_secret",
      permission: "forwarding.manage",
      schema: z.object({ id: endpointId }),
      subject: ({ id }) => endpointSubject(id),
      run: async ({ id }) => {
        const { secret, overlapUntil } = await rotateSecret(id);
        return { secret, overlapUntil: overlapUntil.toISOString() };
      },
      audit: ({ overlapUntil }) => ({ details: { overlapUntil } }),
      revalidate: ["/forwarding"],
    },
    form,
  );
}

export async function sendTestEventAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ messageId: string }>> {
  return runAction(
    {
      action: "forwarding.test_event",
      permission: "forwarding.manage",
      schema: z.object({ id: endpointId }),
      subject: ({ id }) => endpointSubject(id),
      run: async ({ id }) => ({ messageId: String(await sendTestEvent(id)) }),
      audit: ({ messageId }) => ({ details: { messageId } }),
      revalidate: ["/forwarding"],
    },
    form,
  );
}

export async function retryMessageAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: string }>> {
  return runAction(
    {
      action: "forwarding.message.retry",
      permission: "forwarding.manage",
      schema: z.object({ id: bigId }),
      subject: ({ id }) => ({ targetType: "forward_message", targetId: String(id) }),
      run: async ({ id }) => {
        const { endpointId: endpoint } = await retryMessage(id);
        return { id: String(id), endpoint };
      },
      audit: ({ endpoint }) => ({ details: { endpointId: endpoint } }),
      reply: ({ id }) => ({ id }),
      revalidate: ["/forwarding"],
    },
    form,
  );
}

export async function recoverFailedAction(_prev: unknown, form: FormData): Promise<ActionResult<{ count: number }>> {
  return runAction(
    {
      action: "forwarding.recover",
      permission: "forwarding.manage",
      schema: z.object({
        id: endpointId,
        // A datetime-local field, read as UTC like every time the console shows.
        since: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "Choose a date and time.")
          .transform((value) => new Date(`${value}Z`))
          .refine(
            (date) => !Number.isNaN(date.getTime()) && date.getTime() <= Date.now(),
            "Choose a time in the past.",
          ),
      }),
      subject: ({ id }) => endpointSubject(id),
      run: async ({ id, since }) => ({ count: await recoverFailed(id, since), since: since.toISOString() }),
      audit: ({ count, since }) => ({ details: { since, messages: count } }),
      reply: ({ count }) => ({ count }),
      revalidate: ["/forwarding"],
    },
    form,
  );
}

export async function forwardEventAgainAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ count: number }>> {
  return runAction(
    {
      action: "forwarding.event.forward_again",
      permission: "forwarding.manage",
      schema: z.object({ event: bigId }),
      subject: ({ event }) => ({ targetType: "webhook_event", targetId: String(event) }),
      run: async ({ event }) => ({ count: await forwardEventAgain(event) }),
      audit: ({ count }) => ({ details: { resent: count } }),
      revalidate: ["/forwarding"],
    },
    form,
  );
}
