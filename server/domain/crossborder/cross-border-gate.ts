// 数据跨境 "正面清单 + 安全评估": an order from a buyer outside the mainland passes only if the
// dataset's classification is on the positive list for the buyer's country, the provider proved
// that membership with a positive_list compliance proof (verified and recorded on chain, so
// anyone can re-check the gate's evidence), and the regulator approved a security assessment of
// this dataset for that destination, still valid.
//
// The proof was checked against the list's root when it was submitted; the list changes root
// with every entry, so the gate does not ask for the current root again. It asks instead that
// the entry is still active: a removal closes the gate at once, whatever was proved before.
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { complianceProofs, positiveListEntries, securityAssessments } from '../../db/schema.ts';
import { countryOf } from '../trading/terms.ts';
import { categoryCode, destinationCode } from './positive-list-tree.ts';

export interface CrossBorderClearance {
  allowed: boolean;
  onPositiveList: boolean;
  /** The verified positive_list proof of (destination, classification) for this dataset, if any. */
  positiveListProofId: string | null;
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
  const [proved] = await handle
    .select({ id: complianceProofs.id })
    .from(complianceProofs)
    .where(
      and(
        eq(complianceProofs.datasetId, options.datasetId),
        eq(complianceProofs.circuit, 'positive_list'),
        sql`${complianceProofs.statement} ->> 'destination' = ${destinationCode(destination).toString()}`,
        sql`${complianceProofs.statement} ->> 'category' = ${categoryCode(options.classification).toString()}`,
      ),
    )
    .limit(1);
  const onPositiveList = !!listed;
  const positiveListProofId = proved?.id ?? null;
  const assessmentApproved = !!assessment;
  return {
    allowed: onPositiveList && positiveListProofId !== null && assessmentApproved,
    onPositiveList,
    positiveListProofId,
    assessmentApproved,
    reason: !onPositiveList
      ? `${options.classification} is not on the positive list for ${destination}`
      : positiveListProofId === null
        ? `the provider has not proved that ${options.classification} is on the positive list for ${destination} (a positive_list compliance proof)`
        : !assessmentApproved
          ? `no approved security assessment of this dataset for ${destination}`
          : `on the positive list for ${destination} (proved), security assessment approved`,
  };
}
