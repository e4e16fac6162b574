import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { complianceProofStatus } from './compliance-proof-status.ts';
import { runListingChecks } from './listing-checks.ts';
import { assertTransition, currentVersion, lockDataset, transitionListing, type DatasetRow } from './listing-transition.ts';

const Decision = z.object({
  datasetId: z.string(),
  approve: z.boolean(),
  reason: z.string().trim().max(2000).optional(),
});

/**
 * The operator's listing decision on a dataset in review. Approval re-runs the automated
 * checks (a proof may have been revoked since submission) and lists it; rejection needs a
 * reason and returns it to draft. The decision is anchored on chain.
 */
export async function reviewListing({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Decision> }): Promise<DatasetRow> {
  if (!actsAs(actor, 'operator')) throw new AppError('FORBIDDEN');
  const { datasetId, approve, reason } = parseInput(Decision, input);
  if (!approve && !reason) throw new AppError('INVALID_INPUT', { field: 'reason', message: 'reason: a rejection needs a reason' });
  return db.transaction(async (tx) => {
    const dataset = await lockDataset(tx, datasetId);
    assertTransition(dataset, approve ? 'approve' : 'reject');
    const version = await currentVersion(tx, dataset);
    const checks = runListingChecks(version, { complianceProof: await complianceProofStatus(tx, version) });
    if (approve && checks.some((c) => !c.passed)) {
      throw new AppError('CHECKS_FAILED', { message: 'the automated checks no longer pass', details: { checks } });
    }
    const result = await transitionListing(tx, {
      dataset,
      version,
      action: approve ? 'approve' : 'reject',
      actorId: actor!.participantId,
      reason: reason ?? null,
      checks,
    });
    await recordAudit(tx, { actor, action: 'listing.reviewed', subjectKind: 'dataset', subjectId: dataset.id, details: { approve, reason: reason ?? null, eventId: result.eventId } });
    return result.dataset;
  });
}
