// Related-party trades (关联交易): the buyer and the provider are related when one is the
// other's controller (its controller_code is the other's registration code) or both name the
// same controller. The controller is declared at registration and checked by the operator.
import { sql } from 'drizzle-orm';
import { rowsOf, type DbHandle } from '../../db/client.ts';
import { daysBefore, instant, type AlertCandidate, type RuleContext } from './alert.ts';

export async function relatedPartyTrades(db: DbHandle, { now, thresholds }: RuleContext): Promise<AlertCandidate[]> {
  const result = await db.execute(sql`
    select t.id::text as trade_id, t.buyer_id::text as buyer_id, t.provider_id::text as provider_id, t.amount_fen::text as amount_fen,
           t.dataset_id::text as dataset_id, t.created_at,
           b.registration_code as buyer_code, b.controller_code as buyer_controller,
           p.registration_code as provider_code, p.controller_code as provider_controller
    from trades t
    join participants b on b.id = t.buyer_id
    join participants p on p.id = t.provider_id
    where t.created_at >= ${daysBefore(now, thresholds.lookbackDays)} and t.created_at <= ${instant(now)}
      and (b.controller_code = p.controller_code or b.controller_code = p.registration_code or p.controller_code = b.registration_code)
    order by t.created_at`);
  return rowsOf(result).map((r) => {
    const relation =
      r.buyer_controller === r.provider_code
        ? 'the provider controls the buyer'
        : r.provider_controller === r.buyer_code
          ? 'the buyer controls the provider'
          : `both are controlled by ${String(r.buyer_controller)}`;
    return {
      rule: 'related_parties',
      severity: 'warning',
      subjectKind: 'trade',
      subjectId: String(r.trade_id),
      fingerprint: `related_parties:trade:${r.trade_id}`,
      evidence: {
        tradeId: r.trade_id,
        buyerId: r.buyer_id,
        providerId: r.provider_id,
        datasetId: r.dataset_id,
        amountFen: r.amount_fen,
        relation,
        buyerController: r.buyer_controller ?? null,
        providerController: r.provider_controller ?? null,
      },
    } satisfies AlertCandidate;
  });
}
