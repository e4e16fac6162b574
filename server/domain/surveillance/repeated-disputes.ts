// Repeated disputes (争议频发): at least M disputes opened against one respondent (a provider,
// as a rule) within the window.
import { sql } from 'drizzle-orm';
import { rowsOf, type DbHandle } from '../../db/client.ts';
import { daysBefore, instant, type AlertCandidate, type RuleContext } from './alert.ts';

export async function repeatedDisputes(db: DbHandle, { now, thresholds }: RuleContext): Promise<AlertCandidate[]> {
  const window = `${thresholds.disputeWindowDays} days`;
  const result = await db.execute(sql`
    with windows as (
      select respondent_id, created_at,
             count(*) over (partition by respondent_id order by created_at range between ${window}::interval preceding and current row) as n
      from disputes
      where created_at >= ${daysBefore(now, thresholds.lookbackDays)} and created_at <= ${instant(now)}
    ), peaks as (
      select distinct on (respondent_id) respondent_id, created_at as peak_at, n from windows
      where n >= ${thresholds.disputesPerProvider}
      order by respondent_id, n desc, created_at
    )
    select p.respondent_id::text as respondent_id, p.peak_at, p.n::int as n,
           (select array_agg(d.id::text order by d.created_at) from disputes d
            where d.respondent_id = p.respondent_id and d.created_at > p.peak_at - ${window}::interval and d.created_at <= p.peak_at) as dispute_ids,
           (select min(d.created_at) from disputes d
            where d.respondent_id = p.respondent_id and d.created_at > p.peak_at - ${window}::interval and d.created_at <= p.peak_at) as first_at
    from peaks p order by p.peak_at`);
  return rowsOf(result).map((r) => {
    const firstAt = new Date(r.first_at as string | Date);
    return {
      rule: 'repeated_disputes',
      severity: Number(r.n) >= 2 * thresholds.disputesPerProvider ? 'critical' : 'warning',
      subjectKind: 'participant',
      subjectId: String(r.respondent_id),
      // The same run of disputes is one alert: it is named by the first dispute's day.
      fingerprint: `repeated_disputes:${r.respondent_id}:${firstAt.toISOString().slice(0, 10)}`,
      evidence: { respondentId: r.respondent_id, disputes: Number(r.n), disputeIds: r.dispute_ids, windowDays: thresholds.disputeWindowDays, threshold: thresholds.disputesPerProvider },
    } satisfies AlertCandidate;
  });
}
