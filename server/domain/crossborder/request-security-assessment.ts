import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { securityAssessments } from '../../db/schema.ts';
import { lockDataset } from '../catalog/listing-transition.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { Destination, type SecurityAssessmentRow } from './crossborder-records.ts';

const Input = z.object({
  datasetId: z.string(),
  destination: Destination,
});

/**
 * 安全评估申报: the dataset's provider asks the regulator to assess sending the dataset to a
 * destination. One request per dataset and destination waits at a time; a dataset with an
 * approval may ask again to renew it before it expires.
 */
export async function requestSecurityAssessment({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<SecurityAssessmentRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  const { datasetId, destination } = parseInput(Input, input);
  return db.transaction(async (tx) => {
    // The dataset's row lock serialises requests, so two cannot both find none waiting.
    const dataset = await lockDataset(tx, datasetId);
    if (dataset.providerId !== actor.participantId) throw new AppError('NOT_FOUND', { field: 'datasetId' });
    if (dataset.status === 'delisted') throw new AppError('INVALID_STATE', { field: 'datasetId', message: 'the dataset is delisted' });
    const [waiting] = await tx
      .select({ id: securityAssessments.id })
      .from(securityAssessments)
      .where(and(eq(securityAssessments.datasetId, dataset.id), eq(securityAssessments.destination, destination), eq(securityAssessments.status, 'requested')));
    if (waiting) throw new AppError('INVALID_STATE', { field: 'destination', message: `an assessment for ${destination} is already waiting for the regulator` });
    const [row] = await tx.insert(securityAssessments).values({ datasetId: dataset.id, destination, requestedBy: actor.participantId }).returning();
    return row!;
  });
}
