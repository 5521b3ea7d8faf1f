import { AlertTriangle } from "lucide-react";
import type { BrandingInfo, PreviewView } from "@/lib/instructions/preview";
import { platformNote } from "@/lib/instructions/platform";
import { cn } from "@/lib/utils";

/**
 * A preview in its natural form. HTML only ever appears inside the sandboxed frame: `sandbox=""` (no scripts, no
 * same-origin, no forms, no navigation out) and the CSP inside `srcDoc`; JSON and text are React text in <pre>.
 */
export function PreviewViewer({
  view,
  title,
  compact = false,
}: {
  view: PreviewView;
  title: string;
  compact?: boolean;
}) {
  const height = compact ? "h-[480px]" : "h-[640px]";
  if (view.kind === "html") {
    return (
      <iframe
        title={title}
        srcDoc={view.srcDoc}
        sandbox=""
        referrerPolicy="no-referrer"
        data-testid="instructions-frame"
        className={cn("w-full rounded-md border border-border bg-white", height)}
      />
    );
  }
  return (
    <pre
      role="region"
      tabIndex={0}
      aria-label={title}
      data-testid={view.kind === "json" ? "instructions-json" : "instructions-text"}
      className={cn(
        "overflow-auto rounded-md border border-border bg-muted/40 p-3 text-xs",
        view.kind === "text" && "whitespace-pre-wrap",
        height,
      )}
    >
      {view.text}
    </pre>
  );
}

export function BrandingLine({ branding }: { branding: BrandingInfo }) {
  const applied = branding.appliedKey ?? branding.appliedName;
  const mismatch = branding.reported && branding.requested && branding.appliedKey !== branding.requested;
  return (
    <p className="text-xs text-muted-foreground" data-testid="branding">
      {branding.reported ? (
        <>
          Branding applied by Hubby: <strong className="text-foreground">{applied}</strong>
          {branding.appliedName && branding.appliedKey ? ` (${branding.appliedName})` : ""}.
        </>
      ) : branding.requested ? (
        <>
          Requested brand key <strong className="text-foreground">{branding.requested}</strong>; Hubby&apos;s reply does
          not say which identity it applied.
        </>
      ) : (
        <>The partner&apos;s own visual identity (no custom_branding key); Hubby&apos;s reply does not name it.</>
      )}
      {mismatch && (
        <span className="mt-1 flex items-center gap-1 text-amber-800 dark:text-amber-200" role="note">
          <AlertTriangle className="h-3 w-3" aria-hidden />
          You asked for “{branding.requested}”, but Hubby applied “{branding.appliedKey}”: that key is not set up for
          this partner.
        </span>
      )}
    </p>
  );
}

export function CompatibilityLine({ compatible, device }: { compatible: boolean | null; device: string }) {
  if (compatible !== false) return null;
  return (
    <p
      role="note"
      className="flex items-center gap-1 rounded-md bg-amber-100 px-2 py-1 text-xs text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
    >
      <AlertTriangle className="h-3 w-3" aria-hidden />
      Hubby&apos;s compatibility list does not include {device}: the traveler may not be able to use an eSIM on it.
    </p>
  );
}

export function PlatformNotes({
  phoneOs,
  osVersion,
  lpa,
  withoutLpa,
}: {
  phoneOs: string;
  osVersion: string;
  lpa: string | null;
  withoutLpa?: string;
}) {
  const note = platformNote({ phoneOs, osVersion, lpa, withoutLpa });
  return (
    <aside className="flex flex-col gap-2 rounded-md border border-border p-3 text-sm" data-testid="platform-notes">
      <h3 className="font-semibold">{note.title}</h3>
      <p className="text-muted-foreground">{note.body}</p>
      <dl className="flex flex-col gap-1">
        {note.values.map((value) => (
          <div key={value.label}>
            <dt className="text-xs text-muted-foreground">{value.label}</dt>
            <dd className="break-all font-mono text-xs">{value.value}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}

export function PreviewProblem({ title, message }: { title: string; message: string }) {
  return (
    <div
      role="alert"
      data-testid="preview-error"
      className="flex flex-col gap-1 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
    >
      <strong className="flex items-center gap-1">
        <AlertTriangle className="h-4 w-4" aria-hidden />
        {title}
      </strong>
      <span>{message}</span>
    </div>
  );
}
