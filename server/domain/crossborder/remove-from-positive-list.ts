import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Db } from '../../db/client.ts';
import { positiveListEntries } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { Classification, Destination, POSITIVE_LIST_KIND, positiveListDecisionContent, positiveListRecordIds, type PositiveListEntryRow } from './crossborder-records.ts';

const Input = z.object({
  destination: Destination,
  classification: Classification,
  reason: z.string().trim().min(2).max(2000),
});

/**
 * The regulator takes a classification off a destination's positive list, with a reason; the
 * decision is anchored. Orders and bids from that destination are refused from now on; licences
 * already granted stay as they are (a regulator suspends a listing or an arbiter revokes a
 * licence for that). The entry's `reason` becomes the removal's reason.
 */
export async function removeFromPositiveList({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<PositiveListEntryRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'regulator')) throw new AppError('FORBIDDEN');
  const { destination, classification, reason } = parseInput(Input, input);
  return db.transaction(async (tx) => {
    const [entry] = await tx
      .select()
      .from(positiveListEntries)
      .where(and(eq(positiveListEntries.destination, destination), eq(positiveListEntries.classification, classification), eq(positiveListEntries.status, 'active')))
      .for('update');
    if (!entry) throw new AppError('NOT_FOUND', { field: 'classification', message: `${classification} is not on the positive list for ${destination}` });
    const now = new Date();
    const [removed] = await tx.update(positiveListEntries).set({ status: 'removed', reason }).where(eq(positiveListEntries.id, entry.id)).returning();
    await enqueueAnchor(tx, {
      kind: POSITIVE_LIST_KIND,
      recordId: positiveListRecordIds(entry).removal,
      content: positiveListDecisionContent(removed!, { action: 'remove', actorId: actor.participantId, reason, at: now }),
    });
    return removed!;
  });
}
