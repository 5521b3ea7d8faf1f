"use client";
import { AlertTriangle } from "lucide-react";
import { formatMoney } from "@/lib/bookings/quote";
import type { PreviewData } from "./actions";

/** The preview: the bundles the request maps to with their cost, the warnings, and the exact request. */
export function Preview({ preview, children }: { preview: PreviewData; children: React.ReactNode }) {
  const money = (cents: number) => formatMoney(cents, preview.quote.currency);
  return (
    <section
      className="flex flex-col gap-3 rounded-lg border p-4"
      aria-labelledby="preview-heading"
      data-testid="preview"
    >
      <h2 id="preview-heading" className="text-sm font-semibold">
        Preview: nothing has been sent yet
      </h2>
      {preview.warnings.map((warning) => (
        <p
          key={warning}
          role="alert"
          className="flex items-center gap-2 rounded-md bg-amber-100 p-2 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
        >
          <AlertTriangle className="h-4 w-4 shrink-0" aria-hidden />
          {warning}
        </p>
      ))}
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-muted-foreground">
            <th className="py-1">Package</th>
            <th>Bundle it should map to</th>
            <th className="text-right">B2B cost</th>
            <th className="text-right">B2C price</th>
          </tr>
        </thead>
        <tbody>
          {preview.quote.specs.map((spec, index) =>
            spec.ok
              ? spec.bundles.map((bundle) => (
                  <tr key={`${index}-${bundle.bundleId}`} className="border-t" data-testid={`preview-bundle-${index}`}>
                    <td className="py-1">{index + 1}</td>
                    <td>
                      {bundle.destinationName} · {bundle.label} {bundle.type}
                      {bundle.durationDays ? `, ${bundle.durationDays} days` : ""}{" "}
                      <span className="font-mono text-xs text-muted-foreground">{bundle.bundleId}</span>
                    </td>
                    <td className="text-right">{money(bundle.b2bCents)}</td>
                    <td className="text-right">{money(bundle.b2cCents)}</td>
                  </tr>
                ))
              : null,
          )}
          <tr className="border-t font-medium">
            <td className="py-1" colSpan={2}>
              Per traveler
            </td>
            <td className="text-right">{money(preview.quote.perTraveler.costCents)}</td>
            <td className="text-right">{money(preview.quote.perTraveler.priceCents)}</td>
          </tr>
          <tr className="border-t font-semibold">
            <td className="py-1" colSpan={2}>
              Total for {preview.travelers} traveler{preview.travelers === 1 ? "" : "s"}
            </td>
            <td className="text-right" data-testid="total-cost">
              {money(preview.quote.total.costCents)}
            </td>
            <td className="text-right">{money(preview.quote.total.priceCents)}</td>
          </tr>
        </tbody>
      </table>
      <p className="text-xs text-muted-foreground">
        Prices from the cached catalog for exactly the request below; Hubby&apos;s routing and invoice have the last
        word.
      </p>
      <details open>
        <summary className="cursor-pointer text-sm font-medium">Exact request: POST /api/bookings</summary>
        <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-muted p-3 text-xs" data-testid="request-json">
          {JSON.stringify(preview.request, null, 2)}
        </pre>
      </details>
      {children}
    </section>
  );
}
