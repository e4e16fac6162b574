// The invariants a hardening test checks after it has done its worst, read straight from the
// database: the double-entry ledger, and one trade, one licence and one filing per accepted order.
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rowsOf, type Db } from '../../../server/db/client.ts';

/** The ledger sums to zero in total and per transaction; balances follow entries; no participant is overdrawn. */
export async function expectBooksStraight(db: Db): Promise<void> {
  const [books] = rowsOf(
    await db.execute(sql`
      select (select coalesce(sum(balance_fen), 0)::text from ledger_accounts) as total,
             (select count(*)::int from ledger_accounts where owner_id is not null and balance_fen < 0) as negative,
             (select count(*)::int from (select transaction_id from ledger_entries group by transaction_id having sum(amount_fen) <> 0) x) as unbalanced,
             (select count(*)::int from ledger_accounts a
                where a.balance_fen <> (select coalesce(sum(e.amount_fen), 0) from ledger_entries e where e.account_id = a.id)) as drifted`),
  );
  expect(books).toEqual({ total: '0', negative: 0, unbalanced: 0, drifted: 0 });
}

/**
 * Accepted orders have exactly one trade, for their amount, with one licence and one anchored
 * filing record; orders in any other state have none. Returns the count of accepted orders.
 */
export async function expectEveryAcceptedOrderTradedOnce(db: Db): Promise<number> {
  const rows = rowsOf(
    await db.execute(sql`
      select o.status, count(distinct o.id)::int as orders, count(t.id)::int as trades, count(l.id)::int as licences,
             count(*) filter (where t.amount_fen <> o.amount_fen)::int as wrong_amounts
      from orders o left join trades t on t.order_id = o.id left join licences l on l.trade_id = t.id
      group by o.status`),
  );
  const byStatus = Object.fromEntries(rows.map((r) => [r.status as string, r]));
  const accepted = (byStatus.accepted?.orders as number | undefined) ?? 0;
  if (accepted > 0) expect(byStatus.accepted).toMatchObject({ trades: accepted, licences: accepted, wrong_amounts: 0 });
  for (const status of ['pending', 'rejected', 'cancelled']) {
    if (byStatus[status]) expect(byStatus[status]).toMatchObject({ trades: 0, licences: 0 });
  }
  const [filings] = rowsOf(
    await db.execute(sql`
      select count(*)::int as n from trades t
      where (select count(*) from anchor_records r where r.kind = 'trading.trade-filing' and r.record_id = t.id::text) <> 1`),
  );
  expect(filings!.n, 'trades without exactly one filing record').toBe(0);
  return accepted;
}
