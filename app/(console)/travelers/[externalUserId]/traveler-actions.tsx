"use client";
import { useRef, useState } from "react";
import { ActionMessage } from "@/components/action/action-message";
import { CopyButton } from "@/components/action/copy-button";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { FilterField } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Panel } from "@/components/ui/panel";
import { utcStamp } from "@/lib/format";
import { checkDeviceAction, openWebViewAction } from "./actions";

type Device = { phone_brand: string; phone_model: string };

/** Support tools on the traveler page: the traveler's own view, and an eSIM compatibility check. */
export function TravelerActions({ externalUserId, devices }: { externalUserId: string; devices: Device[] }) {
  // The tab is opened in the click itself (a popup blocker allows it only there) and sent to the link once the server
  // has created it: one click opens the traveler's view. The link stays on the screen for copying.
  const viewTab = useRef<Window | null>(null);
  const view = useServerAction(openWebViewAction, {
    onSuccess: ({ url }) => {
      viewTab.current?.location.replace(url);
      viewTab.current = null;
    },
    onSettled: () => {
      viewTab.current?.close();
      viewTab.current = null;
    },
  });
  const device = useServerAction(checkDeviceAction);
  // Controlled, so React's reset of a form after its action leaves what staff typed for the next check.
  const [phoneBrand, setPhoneBrand] = useState("");
  const [phoneModel, setPhoneModel] = useState("");
  const brands = [...new Set(devices.map((d) => d.phone_brand))].sort();

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Panel headingId="webview-heading" title="Traveler's view" className="gap-2">
        <form
          action={view.run}
          onSubmit={() => {
            const tab = window.open("", "_blank");
            // The Hubby page must not reach back into the console (what rel="noopener" does for a link).
            if (tab) tab.opener = null;
            viewTab.current = tab;
          }}
          className="flex flex-col gap-2"
        >
          <p className="text-sm text-muted-foreground">
            Opens the traveler&apos;s Hubby WebView with a single-use link that expires after 5 minutes.
          </p>
          <input type="hidden" name="externalUserId" value={externalUserId} />
          <div>
            <SubmitButton variant="outline" pending={view.pending} pendingLabel="Creating link…">
              Open traveler&apos;s view
            </SubmitButton>
          </div>
        </form>
        <ActionMessage failure={view.failure} />
        {view.result?.ok && (
          <div className="flex flex-col gap-1 text-sm" data-testid="webview-link">
            <a
              href={view.result.data.url}
              target="_blank"
              rel="noreferrer noopener"
              className="break-all font-mono text-xs underline"
            >
              {view.result.data.url}
            </a>
            <span className="text-xs text-muted-foreground">
              Opened in a new tab. Valid until {utcStamp(view.result.data.expiresAt, { precision: "second" })}, once.
            </span>
            <div>
              <CopyButton label="Copy link" value={view.result.data.url} what="link" />
            </div>
          </div>
        )}
      </Panel>

      <Panel headingId="device-check-heading" title="Device check" className="gap-2">
        <form action={device.run} className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="externalUserId" value={externalUserId} />
          <FilterField id="device-brand" label="Brand">
            <Input
              id="device-brand"
              name="phoneBrand"
              list="device-brands"
              className="w-36"
              value={phoneBrand}
              onChange={(event) => setPhoneBrand(event.target.value)}
            />
            <datalist id="device-brands">
              {brands.map((brand) => (
                <option key={brand} value={brand} />
              ))}
            </datalist>
          </FilterField>
          <FilterField id="device-model" label="Model">
            <Input
              id="device-model"
              name="phoneModel"
              list="device-models"
              className="w-48"
              value={phoneModel}
              onChange={(event) => setPhoneModel(event.target.value)}
            />
            <datalist id="device-models">
              {devices.map((d) => (
                <option key={`${d.phone_brand}-${d.phone_model}`} value={d.phone_model} />
              ))}
            </datalist>
          </FilterField>
          <SubmitButton variant="outline" pending={device.pending}>
            Check
          </SubmitButton>
        </form>
        <ActionMessage failure={device.failure} fields={["phoneBrand", "phoneModel"]} />
        {device.result?.ok && (
          <p className="text-sm" data-testid="device-result" role="status">
            {device.result.data.brand} {device.result.data.model}:{" "}
            <strong>{device.result.data.compatible ? "supports eSIM" : "does not support eSIM"}</strong>
          </p>
        )}
      </Panel>
    </div>
  );
}
