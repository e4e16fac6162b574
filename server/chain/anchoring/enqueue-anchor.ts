// Writes the record a state change must prove on chain, in the caller's transaction: if the
// change rolls back, so does its anchor record, and nothing is anchored.
import type { DbHandle } from '../../db/client.ts';
import { anchorRecords } from '../../db/schema.ts';
import { canonicalContentHash } from './content-hash.ts';

export type AnchorRecord = typeof anchorRecords.$inferSelect;

export interface EnqueueAnchorOptions {
  /** What the record is, e.g. 'rights.certificate', 'catalog.listing-decision'. Part of the leaf. */
  kind: string;
  /** The record's own id in its table. Part of the leaf. */
  recordId: string;
  /** The content the hash commits to; the audit must be able to rebuild it from the database. */
  content: unknown;
}

/**
 * Inserts the pending anchor record. The same (kind, recordId) twice is refused by the unique
 * index (the statement throws, and on PostgreSQL the caller's transaction is aborted): a
 * record is anchored once; a changed record is a new record with its own id.
 */
export async function enqueueAnchor(handle: DbHandle, options: EnqueueAnchorOptions): Promise<AnchorRecord> {
  if (!options.kind.trim()) throw new TypeError('an anchor record needs a kind');
  if (!options.recordId.trim()) throw new TypeError('an anchor record needs a record id');
  const [row] = await handle
    .insert(anchorRecords)
    .values({ kind: options.kind, recordId: options.recordId, contentHash: canonicalContentHash(options.content) })
    .returning();
  return row!;
}
