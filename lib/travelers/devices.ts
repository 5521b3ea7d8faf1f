import "server-only";
import type { HubbyClient } from "../hubby/client";

/** Hubby's compatible-device list changes rarely: keep it an hour per process, and never fail a page over it. */
let cached: { at: number; devices: { phone_brand: string; phone_model: string }[] } | undefined;
const TTL_MS = 60 * 60_000;

export async function compatibleDevices(hubby: HubbyClient) {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.devices;
  try {
    const devices = (await hubby.listCompatibleDevices()).map((d) => ({
      phone_brand: d.phone_brand,
      phone_model: d.phone_model,
    }));
    cached = { at: Date.now(), devices };
    return devices;
  } catch {
    return cached?.devices ?? [];
  }
}
