// Small displays of the exchange's values: status badges, money, ids.
import { Fragment, type ComponentChildren } from 'preact';
import { useI18n } from '../i18n/i18n.tsx';

const TONE: Record<string, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  LISTED: 'ok',
  VERIFIED: 'ok',
  ACCEPTED: 'ok',
  ACTIVE: 'ok',
  ANCHORED: 'ok',
  DONE: 'ok',
  SETTLED: 'ok',
  COMPUTED: 'info',
  IN_REVIEW: 'info',
  PENDING: 'warn',
  SEALED: 'info',
  DRAFT: 'muted',
  CANCELLED: 'muted',
  DELISTED: 'muted',
  REJECTED: 'bad',
  SUSPENDED: 'bad',
  FROZEN: 'bad',
  REVOKED: 'bad',
  FAILED: 'bad',
};

/** A status word as a badge; `group` picks its translation (status.LISTED, order.PENDING …). */
export function StatusBadge({ group, value }: { group: string; value: string }) {
  const { label } = useI18n();
  return <span class={`badge ${TONE[value] ?? 'muted'}`}>{label(group, value)}</span>;
}

export function Yuan({ yuan }: { yuan: string }) {
  const { formatYuan } = useI18n();
  return <span class="num">{formatYuan(yuan)}</span>;
}

/** A long hash or id, shortened for reading, whole for copying and screen readers. */
export function Hash({ value, keep = 10 }: { value: string | null | undefined; keep?: number }) {
  if (!value) return <span class="muted">—</span>;
  const short = value.length > keep * 2 + 1 ? `${value.slice(0, keep)}…${value.slice(-6)}` : value;
  return (
    <code title={value} aria-label={value}>
      {short}
    </code>
  );
}

export function KeyValues({ items }: { items: [ComponentChildren, ComponentChildren][] }) {
  return (
    <dl class="kv">
      {items.map(([k, v], i) => (
        <Fragment key={i}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** yuan text ("12.5", "1,200") → fen as a decimal string, or null when it is not an amount. */
export function yuanToFen(text: string): string | null {
  const m = /^\s*(\d{1,15})(?:\.(\d{1,2}))?\s*$/.exec(text.replace(/,/g, ''));
  if (!m) return null;
  return (BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0')).toString();
}

/** A fresh idempotency key for one money-moving form submission. */
export function newIdempotencyKey(prefix: string): string {
  // getRandomValues works outside secure contexts too (randomUUID does not).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
