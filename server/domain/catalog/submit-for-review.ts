import type { Db } from '../../db/client.ts';
import { AppError } from '../errors.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { complianceProofStatus } from './compliance-proof-status.ts';
import { runListingChecks, type CheckResult } from './listing-checks.ts';
import { currentVersion, lockDataset, transitionListing, type DatasetRow } from './listing-transition.ts';

/**
 * The provider submits its draft for review. The automated checks run first; if any fails,
 * nothing changes and the result lists every rule with its outcome (CHECKS_FAILED).
 */
export async function submitForReview({ db, actor, datasetId }: { db: Db; actor: Viewer | null; datasetId: string }): Promise<{
  dataset: DatasetRow;
  checks: CheckResult[];
}> {
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  return db.transaction(async (tx) => {
    const dataset = await lockDataset(tx, datasetId);
    if (dataset.providerId !== actor!.participantId) throw new AppError('NOT_FOUND', { field: 'datasetId' });
    const version = await currentVersion(tx, dataset);
    const checks = runListingChecks(version, { complianceProof: await complianceProofStatus(tx, version) });
    const failed = checks.filter((c) => !c.passed);
    if (failed.length > 0) {
      throw new AppError('CHECKS_FAILED', {
        message: `automated checks failed: ${failed.map((c) => `${c.rule} (${c.detail})`).join('; ')}`,
        details: { checks },
      });
    }
    const result = await transitionListing(tx, { dataset, version, action: 'submit', actorId: actor!.participantId, checks });
    return { dataset: result.dataset, checks };
  });
}
