// One markdown table, columns padded for reading in a terminal too.

/** A markdown table from a header row and rows of strings. */
export function markdownTable(head, rows) {
  const all = [head, ...rows].map((r) => r.map((c) => String(c ?? '').replace(/\|/g, '\\|')));
  const widths = head.map((_, i) => Math.max(3, ...all.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(all[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...all.slice(1).map(line)].join('\n');
}
