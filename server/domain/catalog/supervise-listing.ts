import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { currentVersion, lockDataset, transitionListing, type DatasetRow } from './listing-transition.ts';

const Input = z.object({
  datasetId: z.string(),
  action: z.enum(['suspend', 'reinstate', 'delist']),
  reason: z.string().trim().min(2).max(2000),
});

/**
 * Supervisory moves on a listing, each with a reason and anchored: a regulator (or the
 * operator) suspends and reinstates; the provider, the operator or a regulator delists.
 */
export async function superviseListing({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<DatasetRow> {
  const { datasetId, action, reason } = parseInput(Input, input);
  const supervisor = actsAs(actor, 'regulator') || actsAs(actor, 'operator');
  return db.transaction(async (tx) => {
    const dataset = await lockDataset(tx, datasetId);
    const owner = actsAs(actor, 'provider') && dataset.providerId === actor!.participantId;
    if (!(supervisor || (action === 'delist' && owner))) {
      if (!actor) throw new AppError('UNAUTHENTICATED');
      throw new AppError('FORBIDDEN');
    }
    const version = await currentVersion(tx, dataset);
    const result = await transitionListing(tx, { dataset, version, action, actorId: actor!.participantId, reason });
    await recordAudit(tx, { actor, action: 'listing.supervised', subjectKind: 'dataset', subjectId: dataset.id, details: { action, reason, eventId: result.eventId } });
    return result.dataset;
  });
}
