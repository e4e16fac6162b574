// 数据跨境 "正面清单 + 安全评估": an order from a buyer outside the mainland passes only if the
// dataset's classification is on the positive list for the buyer's country and the regulator
// approved a security assessment of this dataset for that destination, still valid.
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { positiveListEntries, securityAssessments } from '../../db/schema.ts';
import { countryOf } from '../trading/terms.ts';

export interface CrossBorderClearance {
  allowed: boolean;
  onPositiveList: boolean;
  assessmentApproved: boolean;
  reason: string;
}

export async function crossBorderClearance(
  handle: DbHandle,
  options: { destination: string; datasetId: string; classification: string; at?: Date },
): Promise<CrossBorderClearance> {
  const destination = countryOf(options.destination);
  const at = options.at ?? new Date();
  const [listed] = await handle
    .select({ id: positiveListEntries.id })
    .from(positiveListEntries)
    .where(
      and(
        eq(positiveListEntries.destination, destination),
        eq(positiveListEntries.classification, options.classification),
        eq(positiveListEntries.status, 'active'),
      ),
    );
  const [assessment] = await handle
    .select({ id: securityAssessments.id })
    .from(securityAssessments)
    .where(
      and(
        eq(securityAssessments.datasetId, options.datasetId),
        eq(securityAssessments.destination, destination),
        eq(securityAssessments.status, 'approved'),
        or(isNull(securityAssessments.validUntil), gt(securityAssessments.validUntil, at)),
      ),
    )
    .orderBy(desc(securityAssessments.decidedAt))
    .limit(1);
  const onPositiveList = !!listed;
  const assessmentApproved = !!assessment;
  return {
    allowed: onPositiveList && assessmentApproved,
    onPositiveList,
    assessmentApproved,
    reason: !onPositiveList
      ? `${options.classification} is not on the positive list for ${destination}`
      : !assessmentApproved
        ? `no approved security assessment of this dataset for ${destination}`
        : `on the positive list for ${destination}, security assessment approved`,
  };
}
