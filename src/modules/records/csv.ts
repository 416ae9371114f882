/** Cells a spreadsheet would run as a formula start with one of these (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-looking text is defused with a leading apostrophe, then quoted as needed. */
export function csvCell(value: string | number | Date | null | undefined): string {
  let text =
    value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: (string | number | Date | null | undefined)[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}
