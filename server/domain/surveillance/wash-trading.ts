// Wash trading (对敲 / 循环交易): trades that go round a loop within the window: A buys from B
// and B buys from A, or A buys from B, B from C and C from A. Money and data end where they
// started, so the trades make volume and prices without a real transfer.
import { sql } from 'drizzle-orm';
import { rowsOf, type DbHandle } from '../../db/client.ts';
import { daysBefore, instant, type AlertCandidate, type RuleContext } from './alert.ts';

export async function washTrading(db: DbHandle, { now, thresholds }: RuleContext): Promise<AlertCandidate[]> {
  const since = daysBefore(now, thresholds.lookbackDays);
  const window = `${thresholds.washWindowDays} days`;
  // Each loop once: its first participant is the smallest id, so rotations are not repeated.
  const result = await db.execute(sql`
    with recent as (
      select id, buyer_id, provider_id, created_at from trades where created_at >= ${since} and created_at <= ${instant(now)}
    )
    select array[t1.buyer_id::text, t1.provider_id::text] as parties, array[t1.id::text, t2.id::text] as trade_ids,
           least(t1.created_at, t2.created_at) as first_at
    from recent t1
    join recent t2 on t2.buyer_id = t1.provider_id and t2.provider_id = t1.buyer_id
    where t1.buyer_id < t1.provider_id
      and t2.created_at between t1.created_at - ${window}::interval and t1.created_at + ${window}::interval
    union all
    select array[t1.buyer_id::text, t1.provider_id::text, t2.provider_id::text], array[t1.id::text, t2.id::text, t3.id::text],
           least(t1.created_at, t2.created_at, t3.created_at)
    from recent t1
    join recent t2 on t2.buyer_id = t1.provider_id
    join recent t3 on t3.buyer_id = t2.provider_id and t3.provider_id = t1.buyer_id
    where t1.buyer_id < t1.provider_id and t1.buyer_id < t2.provider_id
      and t2.provider_id <> t1.buyer_id and t2.provider_id <> t1.provider_id
      and greatest(t1.created_at, t2.created_at, t3.created_at) - least(t1.created_at, t2.created_at, t3.created_at) <= ${window}::interval
    order by first_at`);

  // One alert per set of parties: its loops' trades as evidence, named by the earliest loop.
  const byParties = new Map<string, { parties: string[]; loops: string[][]; firstLoop: string[] }>();
  for (const r of rowsOf(result)) {
    const parties = r.parties as string[];
    const tradeIds = r.trade_ids as string[];
    const key = [...parties].sort().join(',');
    const group = byParties.get(key) ?? { parties, loops: [], firstLoop: tradeIds };
    group.loops.push(tradeIds);
    byParties.set(key, group);
  }
  return [...byParties.entries()].map(([key, g]) => ({
    rule: 'wash_trading',
    severity: 'critical',
    subjectKind: 'participants',
    subjectId: key,
    fingerprint: `wash_trading:${key}:${[...g.firstLoop].sort().join(',')}`,
    evidence: {
      participants: g.parties,
      loops: g.loops.length,
      tradeIds: [...new Set(g.loops.flat())].slice(0, 50),
      windowDays: thresholds.washWindowDays,
    },
  }));
}
