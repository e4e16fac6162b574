// CSV as RFC 4180 describes it, for every export (deliveries, the audit log, filing reports):
// CRLF line ends, a header line, and a cell quoted only when it holds a quote, comma or line end.
import { canonicalJson } from '../chain/anchoring/content-hash.ts';

/** One cell: null and undefined are empty, dates ISO 8601, objects canonical JSON. */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? canonicalJson(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole document: the header, then one line per row. */
export function csvDocument(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}
