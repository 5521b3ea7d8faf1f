"use client";
import { AlertTriangle } from "lucide-react";
import { formatMoney, type BookingQuote } from "@/lib/bookings/quote";
import type { PreviewData } from "./actions";
import type { PromoPreviewData } from "./promo-actions";

type QuotedBundle = Extract<BookingQuote["specs"][number], { ok: true }>["bundles"][number];

/** A bundle the request maps to: "Greece · 1GB data-limited, 30 days pkg_gr_1gb_dl". */
function BundleText({ bundle }: { bundle: QuotedBundle }) {
  return (
    <>
      {bundle.destinationName} · {bundle.label} {bundle.type}
      {bundle.durationDays ? `, ${bundle.durationDays} days` : ""}{" "}
      <span className="font-mono text-xs text-muted-foreground">{bundle.bundleId}</span>
    </>
  );
}

/**
 * What both previews show around their cost table: that nothing was sent yet, the warnings, where the prices come
 * from, the exact request, and the send buttons.
 */
function PreviewFrame(props: {
  request: unknown;
  warnings?: string[];
  table: React.ReactNode;
  buttons: React.ReactNode;
}) {
  return (
    <section
      className="flex flex-col gap-3 rounded-lg border p-4"
      aria-labelledby="preview-heading"
      data-testid="preview"
    >
      <h2 id="preview-heading" className="text-sm font-semibold">
        Preview: nothing has been sent yet
      </h2>
      {props.warnings?.map((warning) => (
        <p
          key={warning}
          role="alert"
          className="flex items-center gap-2 rounded-md bg-amber-100 p-2 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
        >
          <AlertTriangle className="h-4 w-4 shrink-0" aria-hidden />
          {warning}
        </p>
      ))}
      <table className="w-full text-sm">{props.table}</table>
      <p className="text-xs text-muted-foreground">
        Prices from the cached catalog for exactly the request below; Hubby&apos;s routing and invoice have the last
        word.
      </p>
      <details open>
        <summary className="cursor-pointer text-sm font-medium">Exact request: POST /api/bookings</summary>
        <pre
          className="mt-2 max-h-96 overflow-auto rounded-md bg-muted p-3 text-xs"
          data-testid="request-json"
          role="region"
          aria-label="Exact request"
          tabIndex={0}
        >
          {JSON.stringify(props.request, null, 2)}
        </pre>
      </details>
      {props.buttons}
    </section>
  );
}

function CostRow(props: {
  label: string;
  colSpan: number;
  quote: { costCents: number; priceCents: number };
  money: (cents: number) => string;
  total?: boolean;
}) {
  return (
    <tr className={props.total ? "border-t font-semibold" : "border-t font-medium"}>
      <td className="py-1" colSpan={props.colSpan}>
        {props.label}
      </td>
      <td className="text-right" data-testid={props.total ? "total-cost" : undefined}>
        {props.money(props.quote.costCents)}
      </td>
      <td className="text-right">{props.money(props.quote.priceCents)}</td>
    </tr>
  );
}

/** The table's head: what each row is, then the cost to the partner and the price to the traveler. */
function CostHead({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr className="text-left text-muted-foreground">
        {columns.map((column, index) => (
          <th key={column} className={index === 0 ? "py-1" : undefined}>
            {column}
          </th>
        ))}
        <th className="text-right">B2B cost</th>
        <th className="text-right">B2C price</th>
      </tr>
    </thead>
  );
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** The booking's preview: the bundles each package maps to with their cost, per traveler and in total. */
export function BookingPreview({ preview, buttons }: { preview: PreviewData; buttons: React.ReactNode }) {
  const money = (cents: number) => formatMoney(cents, preview.quote.currency);
  return (
    <PreviewFrame
      request={preview.request}
      warnings={preview.warnings}
      buttons={buttons}
      table={
        <>
          <CostHead columns={["Package", "Bundle it should map to"]} />
          <tbody>
            {preview.quote.specs.map((spec, index) =>
              spec.ok
                ? spec.bundles.map((bundle) => (
                    <tr
                      key={`${index}-${bundle.bundleId}`}
                      className="border-t"
                      data-testid={`preview-bundle-${index}`}
                    >
                      <td className="py-1">{index + 1}</td>
                      <td>
                        <BundleText bundle={bundle} />
                      </td>
                      <td className="text-right">{money(bundle.b2bCents)}</td>
                      <td className="text-right">{money(bundle.b2cCents)}</td>
                    </tr>
                  ))
                : null,
            )}
            <CostRow label="Per traveler" colSpan={2} quote={preview.quote.perTraveler} money={money} />
            <CostRow
              label={`Total for ${plural(preview.travelers, "traveler")}`}
              colSpan={2}
              quote={preview.quote.total}
              money={money}
              total
            />
          </tbody>
        </>
      }
    />
  );
}

/** The promo codes' preview: the bundle each code maps to, and the total for all codes. */
export function PromoPreview({ preview, buttons }: { preview: PromoPreviewData; buttons: React.ReactNode }) {
  const money = (cents: number) => formatMoney(cents, preview.quote.currency);
  const spec = preview.quote.specs[0];
  return (
    <PreviewFrame
      request={preview.request}
      buttons={buttons}
      table={
        <>
          <CostHead columns={["Each code"]} />
          <tbody>
            {spec?.ok &&
              spec.bundles.map((bundle) => (
                <tr key={bundle.bundleId} className="border-t">
                  <td className="py-1">
                    <BundleText bundle={bundle} />
                  </td>
                  <td className="text-right">{money(bundle.b2bCents)}</td>
                  <td className="text-right">{money(bundle.b2cCents)}</td>
                </tr>
              ))}
            <CostRow
              label={`Total for ${plural(preview.codes, "code")}`}
              colSpan={1}
              quote={preview.quote.total}
              money={money}
              total
            />
          </tbody>
        </>
      }
    />
  );
}
