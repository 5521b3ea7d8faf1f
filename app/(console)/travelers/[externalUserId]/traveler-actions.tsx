"use client";
import { FilterField } from "@/components/ui/field";
import { useActionState } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { checkDeviceAction, openWebViewAction } from "./actions";

type Device = { phone_brand: string; phone_model: string };

/** Support tools on the traveler page: the traveler's own view, and an eSIM compatibility check. */
export function TravelerActions({ externalUserId, devices }: { externalUserId: string; devices: Device[] }) {
  const [view, openView, opening] = useActionState<ActionResult<{ url: string; expiresAt: string }> | null, FormData>(
    openWebViewAction,
    null,
  );
  const [device, checkDevice, checking] = useActionState<
    ActionResult<{ brand: string; model: string; compatible: boolean }> | null,
    FormData
  >(checkDeviceAction, null);
  const brands = [...new Set(devices.map((d) => d.phone_brand))].sort();

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <form action={openView} className="flex flex-col gap-2 rounded-lg border p-4">
        <h2 className="text-sm font-semibold">Traveler&apos;s view</h2>
        <p className="text-sm text-muted-foreground">
          Opens the traveler&apos;s Hubby WebView with a single-use link that expires after 5 minutes.
        </p>
        <input type="hidden" name="externalUserId" value={externalUserId} />
        <div>
          <Button type="submit" variant="outline" disabled={opening}>
            {opening ? "Creating link…" : "Open traveler's view"}
          </Button>
        </div>
        {view?.ok === false && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {view.message}
          </p>
        )}
        {view?.ok && (
          <div className="flex flex-col gap-1 text-sm" data-testid="webview-link">
            <a
              href={view.data.url}
              target="_blank"
              rel="noreferrer noopener"
              className="break-all font-mono text-xs underline"
            >
              {view.data.url}
            </a>
            <span className="text-xs text-muted-foreground">
              Valid until {view.data.expiresAt.replace("T", " ").slice(0, 19)} UTC, once.
            </span>
            <div>
              <Button
                type="button"
                size="sm"
                variant="ghost"
                onClick={() =>
                  navigator.clipboard.writeText(view.data.url).then(
                    () => toast.success("Link copied."),
                    () => toast.error("Could not copy; select the link instead."),
                  )
                }
              >
                Copy link
              </Button>
            </div>
          </div>
        )}
      </form>

      <form action={checkDevice} className="flex flex-col gap-2 rounded-lg border p-4">
        <h2 className="text-sm font-semibold">Device check</h2>
        <input type="hidden" name="externalUserId" value={externalUserId} />
        <div className="flex flex-wrap items-end gap-2">
          <FilterField id="device-brand" label="Brand">
            <Input id="device-brand" name="phoneBrand" list="device-brands" className="w-36" />
            <datalist id="device-brands">
              {brands.map((brand) => (
                <option key={brand} value={brand} />
              ))}
            </datalist>
          </FilterField>
          <FilterField id="device-model" label="Model">
            <Input id="device-model" name="phoneModel" list="device-models" className="w-48" />
            <datalist id="device-models">
              {devices.map((d) => (
                <option key={`${d.phone_brand}-${d.phone_model}`} value={d.phone_model} />
              ))}
            </datalist>
          </FilterField>
          <Button type="submit" variant="outline" disabled={checking}>
            Check
          </Button>
        </div>
        {device?.ok === false && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {device.fieldErrors?.phoneBrand?.[0] ?? device.fieldErrors?.phoneModel?.[0] ?? device.message}
          </p>
        )}
        {device?.ok && (
          <p className="text-sm" data-testid="device-result" role="status">
            {device.data.brand} {device.data.model}:{" "}
            <strong>{device.data.compatible ? "supports eSIM" : "does not support eSIM"}</strong>
          </p>
        )}
      </form>
    </div>
  );
}
