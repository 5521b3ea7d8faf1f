/** The values a form sends without showing them; null and undefined are left out. */
export function HiddenFields({ values }: { values: Record<string, string | number | boolean | null | undefined> }) {
  return Object.entries(values).map(([name, value]) =>
    value === undefined || value === null ? null : <input key={name} type="hidden" name={name} value={String(value)} />,
  );
}
