import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Db } from '../../db/client.ts';
import { positiveListEntries } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import { Classification, Destination, POSITIVE_LIST_KIND, positiveListDecisionContent, positiveListRecordIds, type PositiveListEntryRow } from './crossborder-records.ts';

const Input = z.object({
  destination: Destination,
  classification: Classification,
  reason: z.string().trim().max(2000).optional(),
});

/**
 * 正面清单: the regulator allows a data classification to go to a destination country. The
 * decision is anchored; a classification already on the destination's list is INVALID_STATE.
 */
export async function addToPositiveList({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<PositiveListEntryRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'regulator')) throw new AppError('FORBIDDEN');
  const { destination, classification, reason } = parseInput(Input, input);
  const alreadyListed = () => new AppError('INVALID_STATE', { field: 'classification', message: `${classification} is already on the positive list for ${destination}` });
  try {
    return await db.transaction(async (tx) => {
      const [active] = await tx
        .select({ id: positiveListEntries.id })
        .from(positiveListEntries)
        .where(and(eq(positiveListEntries.destination, destination), eq(positiveListEntries.classification, classification), eq(positiveListEntries.status, 'active')));
      if (active) throw alreadyListed();
      const now = new Date();
      const [entry] = await tx
        .insert(positiveListEntries)
        .values({ destination, classification, addedBy: actor.participantId, reason: reason || null, createdAt: now })
        .returning();
      await enqueueAnchor(tx, {
        kind: POSITIVE_LIST_KIND,
        recordId: positiveListRecordIds(entry!).addition,
        content: positiveListDecisionContent(entry!, { action: 'add', actorId: actor.participantId, reason: entry!.reason, at: now }),
      });
      return entry!;
    });
  } catch (err) {
    // Two regulators adding the same entry at once: the partial unique index keeps one.
    if (isUniqueViolation(err) === 'positive_list_active_key') throw alreadyListed();
    throw err;
  }
}
