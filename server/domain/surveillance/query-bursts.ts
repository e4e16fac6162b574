// Query bursts (查询突增): more metered uses of one dataset within any sliding minute than the
// threshold, whoever the buyers are: a probe for what the encrypted answers reveal together.
import { sql } from 'drizzle-orm';
import { rowsOf, type DbHandle } from '../../db/client.ts';
import { daysBefore, instant, type AlertCandidate, type RuleContext } from './alert.ts';

export async function queryBursts(db: DbHandle, { now, thresholds }: RuleContext): Promise<AlertCandidate[]> {
  const result = await db.execute(sql`
    with windows as (
      select dataset_id, created_at,
             count(*) over (partition by dataset_id order by created_at range between interval '1 minute' preceding and current row) as n
      from usage_records
      where created_at >= ${daysBefore(now, thresholds.lookbackDays)} and created_at <= ${instant(now)}
    ), peaks as (
      select distinct on (dataset_id) dataset_id, created_at as peak_at, n from windows
      where n > ${thresholds.queriesPerMinute}
      order by dataset_id, n desc, created_at
    )
    select p.dataset_id::text as dataset_id, p.peak_at, p.n::int as n,
           (select count(distinct u.buyer_id)::int from usage_records u
            where u.dataset_id = p.dataset_id and u.created_at > p.peak_at - interval '1 minute' and u.created_at <= p.peak_at) as buyers
    from peaks p order by p.peak_at`);
  return rowsOf(result).map((r) => {
    const peakAt = new Date(r.peak_at as string | Date);
    const minute = peakAt.toISOString().slice(0, 16);
    return {
      rule: 'query_burst',
      severity: Number(r.n) > 4 * thresholds.queriesPerMinute ? 'critical' : 'warning',
      subjectKind: 'dataset',
      subjectId: String(r.dataset_id),
      fingerprint: `query_burst:${r.dataset_id}:${minute}`,
      evidence: { datasetId: r.dataset_id, usesInOneMinute: Number(r.n), peakAt: peakAt.toISOString(), buyers: Number(r.buyers), threshold: thresholds.queriesPerMinute },
    } satisfies AlertCandidate;
  });
}
