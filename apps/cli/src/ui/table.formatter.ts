/** Matches SGR escape sequences, which take no room on screen. */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export const COLUMN_GAP = '   ';

export interface TableOptions {
  header?: readonly string[];
  /** Wraps header cells in bold (only when writing to a terminal). */
  boldHeader?: boolean;
}

/** Columns a string takes on screen (ANSI codes excluded, astral characters counted once). */
export function displayWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/**
 * cf's borderless tables: left-aligned columns separated by three spaces. Each line stops at its
 * last non-empty cell, so no line ends in spaces; every line ends with a newline.
 */
export function formatTable(
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const header = options.header;
  const all = header ? [header, ...rows] : rows;
  const cleaned = all.map((row) => row.map((cell) => cell.replace(/\s*\n\s*/g, ' ').trimEnd()));
  const columns = Math.max(0, ...cleaned.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(0, ...cleaned.map((row) => displayWidth(row[c] ?? ''))),
  );
  const bold = (text: string): string => (text ? `\u001b[1m${text}\u001b[22m` : text);
  return cleaned
    .map((row, r) => {
      let last = row.length - 1;
      while (last >= 0 && row[last] === '') last--;
      const cells: string[] = [];
      for (let c = 0; c <= last; c++) {
        const cell = row[c] ?? '';
        const shown = r === 0 && header && options.boldHeader ? bold(cell) : cell;
        const pad = c < last ? ' '.repeat((widths[c] ?? 0) - displayWidth(cell)) : '';
        cells.push(shown + pad);
      }
      return `${cells.join(COLUMN_GAP)}\n`;
    })
    .join('');
}
