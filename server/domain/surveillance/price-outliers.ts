// Price outliers (价格异常): an order priced above median × k or below median ÷ k of the
// dataset's accepted trades on the same kind of plan, once there are enough trades to judge.
import { sql } from 'drizzle-orm';
import { rowsOf, type DbHandle } from '../../db/client.ts';
import { daysBefore, instant, type AlertCandidate, type RuleContext } from './alert.ts';

export async function priceOutliers(db: DbHandle, { now, thresholds }: RuleContext): Promise<AlertCandidate[]> {
  const k = thresholds.priceFactor;
  const result = await db.execute(sql`
    with history as (
      select dataset_id, plan_kind, percentile_cont(0.5) within group (order by amount_fen) as median, count(*)::int as trades
      from trades group by dataset_id, plan_kind having count(*) >= ${thresholds.priceMinHistory}
    )
    select o.id::text as order_id, o.dataset_id::text as dataset_id, o.buyer_id::text as buyer_id, o.provider_id::text as provider_id,
           o.amount_fen::text as amount_fen, o.status, h.median::text as median, h.trades, pp.kind as plan_kind
    from orders o
    join price_plans pp on pp.id = o.plan_id
    join history h on h.dataset_id = o.dataset_id and h.plan_kind = pp.kind
    where o.created_at >= ${daysBefore(now, thresholds.lookbackDays)} and o.created_at <= ${instant(now)}
      and o.status in ('pending', 'accepted') and h.median > 0
      and (o.amount_fen > h.median * ${k} or o.amount_fen < h.median / ${k})
    order by o.created_at`);
  return rowsOf(result).map((r) => {
    const amount = Number(r.amount_fen);
    const median = Number(r.median);
    return {
      rule: 'price_outlier',
      severity: 'warning',
      subjectKind: 'order',
      subjectId: String(r.order_id),
      fingerprint: `price_outlier:order:${r.order_id}`,
      evidence: {
        orderId: r.order_id,
        datasetId: r.dataset_id,
        buyerId: r.buyer_id,
        providerId: r.provider_id,
        planKind: r.plan_kind,
        orderStatus: r.status,
        amountFen: r.amount_fen,
        medianFen: String(Math.round(median)),
        ratio: Math.round((amount / median) * 100) / 100,
        tradesJudgedAgainst: Number(r.trades),
        factor: k,
      },
    } satisfies AlertCandidate;
  });
}
