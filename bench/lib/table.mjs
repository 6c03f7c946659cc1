// Markdown tables and number formatting for the bench output.

/** rows: arrays of cells; the first row is the header. Columns are padded so the source reads as a table. */
export function markdownTable(rows) {
  const cells = rows.map((row) => row.map((cell) => String(cell)));
  const width = (text) => [...text].length;
  const widths = cells[0].map((_, column) => Math.max(3, ...cells.map((row) => width(row[column] ?? ""))));
  const line = (row) => `| ${row.map((cell, column) => cell + " ".repeat(widths[column] - width(cell))).join(" | ")} |`;
  const [header, ...body] = cells;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

export function fixed(value, digits = 0) {
  return value === undefined || Number.isNaN(value) ? "n/a" : value.toFixed(digits);
}

export function thousands(value) {
  return value === undefined ? "n/a" : Math.round(value).toLocaleString("en-US");
}

/** Whether a measured value meets its target, for a "target" column. */
export function verdict(ok) {
  return ok === undefined ? "n/a" : ok ? "met" : "**missed**";
}
