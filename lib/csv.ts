/**
 * CSV per RFC 4180: every field that holds a comma, quote or line break is quoted, quotes doubled, lines end in
 * CRLF. Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's CSV injection advice).
 */
export type CsvValue = string | number | boolean | null | undefined;

// A formula starts with = + - @ (or their full-width forms ＝ ＋ － ＠, which spreadsheets also accept), possibly
// after whitespace or line breaks that spreadsheets skip; a leading tab or CR is defused too.
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/**
 * A CSV download as a stream: the header line, then each batch of rows as it is read (a batch at a time, so an
 * export never holds the whole result). A failed read ends the download with an error and is logged under `label`.
 */
export function csvStream<Row>(
  header: readonly CsvValue[],
  batches: AsyncGenerator<Row[]>,
  line: (row: Row) => string,
  label: string,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(header)));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value.map(line).join("")));
      } catch (error) {
        console.error(`[${label}] failed:`, error);
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
