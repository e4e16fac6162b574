// Reading the cross-border records: the positive list is public regulation; a dataset's
// assessments are seen by its provider and by regulators and the operator.
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbHandle } from '../../db/client.ts';
import { datasets, positiveListEntries, securityAssessments } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { isUuid, requireUuid } from '../ids.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { Destination, type PositiveListEntryRow, type SecurityAssessmentRow } from './crossborder-records.ts';

function supervises(viewer: Viewer | null): boolean {
  return actsAs(viewer, 'regulator') || actsAs(viewer, 'operator');
}

const ListInput = z.object({ destination: Destination.optional(), includeRemoved: z.boolean().default(false) });

/** The positive list, for one destination or all, active entries (removed ones too on request). */
export async function positiveList({ db, input }: { db: DbHandle; input: z.input<typeof ListInput> }): Promise<PositiveListEntryRow[]> {
  const { destination, includeRemoved } = parseInput(ListInput, input);
  const where: SQL[] = [];
  if (destination) where.push(eq(positiveListEntries.destination, destination));
  if (!includeRemoved) where.push(eq(positiveListEntries.status, 'active'));
  return db
    .select()
    .from(positiveListEntries)
    .where(and(...where))
    .orderBy(asc(positiveListEntries.destination), asc(positiveListEntries.classification), desc(positiveListEntries.createdAt))
    .limit(5000);
}

export async function getPositiveListEntriesByIds({ db, ids }: { db: DbHandle; ids: readonly string[] }): Promise<(PositiveListEntryRow | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length ? await db.select().from(positiveListEntries).where(inArray(positiveListEntries.id, valid)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

const AssessmentsInput = z.object({
  datasetId: z.string().optional(),
  status: z.enum(['requested', 'approved', 'rejected', 'revoked']).optional(),
});

/**
 * Assessments of one dataset (its provider, regulators, the operator), or — without a
 * dataset — every assessment, e.g. the regulator's queue of requests (regulators, operator).
 */
export async function listSecurityAssessments({
  db,
  actor,
  input,
}: {
  db: DbHandle;
  actor: Viewer | null;
  input: z.input<typeof AssessmentsInput>;
}): Promise<SecurityAssessmentRow[]> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const { datasetId, status } = parseInput(AssessmentsInput, input);
  const where: SQL[] = [];
  if (datasetId) {
    requireUuid(datasetId, 'datasetId');
    const [dataset] = await db.select({ providerId: datasets.providerId }).from(datasets).where(eq(datasets.id, datasetId));
    if (!dataset || !(supervises(actor) || dataset.providerId === actor.participantId)) throw new AppError('NOT_FOUND', { field: 'datasetId' });
    where.push(eq(securityAssessments.datasetId, datasetId));
  } else if (!supervises(actor)) {
    throw new AppError('FORBIDDEN');
  }
  if (status) where.push(eq(securityAssessments.status, status));
  return db
    .select()
    .from(securityAssessments)
    .where(and(...where))
    .orderBy(desc(securityAssessments.createdAt), desc(securityAssessments.id))
    .limit(1000);
}

/** Many assessments by id, in the order asked, each only if the viewer may see it. */
export async function getSecurityAssessmentsByIds({
  db,
  actor,
  ids,
}: {
  db: DbHandle;
  actor: Viewer | null;
  ids: readonly string[];
}): Promise<(SecurityAssessmentRow | null)[]> {
  const valid = ids.filter(isUuid);
  if (!actor || valid.length === 0) return ids.map(() => null);
  const rows = await db
    .select({ assessment: securityAssessments, providerId: datasets.providerId })
    .from(securityAssessments)
    .innerJoin(datasets, eq(datasets.id, securityAssessments.datasetId))
    .where(inArray(securityAssessments.id, valid));
  const visible = rows.filter((r) => supervises(actor) || r.providerId === actor.participantId);
  const byId = new Map(visible.map((r) => [r.assessment.id, r.assessment]));
  return ids.map((id) => byId.get(id) ?? null);
}
