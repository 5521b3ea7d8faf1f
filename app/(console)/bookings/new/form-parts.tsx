import { Input, Select } from "@/components/ui/input";

/** How the forms name Hubby's package types. */
export const TYPE_LABELS: Record<string, string> = {
  "data-limited": "Data-limited (default)",
  starter: "Starter",
  unlimited: "Unlimited (fair use)",
  "time-limited": "Time-limited (deprecated)",
};

export function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-xs text-destructive" data-testid={`error-${id}`}>
      {errors.join(" ")}
    </p>
  );
}

export function Labelled({
  id,
  label,
  children,
  hint,
}: {
  id: string;
  label: string;
  children: React.ReactNode;
  hint?: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
    </div>
  );
}

/** The catalog's destinations, countries then regions, as "🇬🇷 Greece (GR)". */
export function DestinationSelect(props: {
  id: string;
  value: string;
  placeholder: string;
  catalog: readonly { id: string; name: string; kind: "country" | "region"; flag: string }[];
  onChange: (id: string) => void;
  invalid?: boolean;
}) {
  return (
    <Select
      id={props.id}
      value={props.value}
      onChange={(event) => props.onChange(event.target.value)}
      aria-invalid={props.invalid ? true : undefined}
    >
      <option value="">{props.placeholder}</option>
      {(["country", "region"] as const).map((kind) => (
        <optgroup key={kind} label={kind === "country" ? "Countries" : "Regions"}>
          {props.catalog
            .filter((option) => option.kind === kind)
            .map((option) => (
              <option key={option.id} value={option.id}>
                {option.flag} {option.name} ({option.id})
              </option>
            ))}
        </optgroup>
      ))}
    </Select>
  );
}

/** The locale and custom_branding fields both forms send with the booking. */
export function LocaleAndBranding(props: {
  idPrefix: string;
  localeLabel: string;
  locale: string;
  onLocale: (locale: string) => void;
  /** Option groups of locale codes (a group without a label lists its codes directly). */
  localeGroups: { label?: string; codes: readonly string[] }[];
  branding: string;
  onBranding: (branding: string) => void;
  errors: (key: string) => string[] | undefined;
}) {
  const options = (codes: readonly string[]) =>
    codes.map((code) => (
      <option key={code} value={code}>
        {code}
      </option>
    ));
  return (
    <>
      <Labelled id={`${props.idPrefix}-locale`} label={props.localeLabel}>
        <Select
          id={`${props.idPrefix}-locale`}
          value={props.locale}
          onChange={(event) => props.onLocale(event.target.value)}
        >
          <option value="">Partner default</option>
          {props.localeGroups.map((group) =>
            group.label ? (
              <optgroup key={group.label} label={group.label}>
                {options(group.codes)}
              </optgroup>
            ) : (
              options(group.codes)
            ),
          )}
        </Select>
        <ErrorText id="locale" errors={props.errors("locale")} />
      </Labelled>
      <Labelled id={`${props.idPrefix}-branding`} label="custom_branding key (optional)">
        <Input
          id={`${props.idPrefix}-branding`}
          value={props.branding}
          onChange={(event) => props.onBranding(event.target.value)}
          placeholder="brand_luxury_travel"
        />
        <ErrorText id="customBranding" errors={props.errors("customBranding")} />
      </Labelled>
    </>
  );
}
