import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { datasetVersions, rightsCertificates, rightsHoldings } from '../../db/schema.ts';
import { lockDataset } from '../catalog/listing-transition.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import type { Viewer } from '../participants/roles.ts';
import { checkHoldersVerified, checkShares, RIGHTS, type Holding } from './holdings.ts';
import { issueCertificate, type CertificateRow } from './issue-certificate.ts';

const Input = z.object({
  datasetId: z.string(),
  right: z.enum(RIGHTS),
  toHolderId: z.uuid(),
  shareBps: z.number().int().min(1).max(10_000),
});

/**
 * A holder transfers part or all of its share of one right to another verified participant.
 * A new certificate records the result and points to the one it replaces (chain of title).
 */
export async function transferRights({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<CertificateRow> {
  if (!actor || actor.participantStatus !== 'verified') throw new AppError(actor ? 'NOT_VERIFIED' : 'UNAUTHENTICATED');
  const { datasetId, right, toHolderId, shareBps } = parseInput(Input, input);
  if (toHolderId === actor.participantId) throw new AppError('INVALID_INPUT', { field: 'toHolderId', message: 'toHolderId: a transfer needs another holder' });
  return db.transaction(async (tx) => {
    await lockDataset(tx, datasetId);
    const [current] = await tx
      .select()
      .from(rightsCertificates)
      .where(and(eq(rightsCertificates.datasetId, datasetId), eq(rightsCertificates.status, 'current')))
      .for('update');
    if (!current) throw new AppError('INVALID_STATE', { message: 'the dataset has no registered rights to transfer' });
    const holdings: Holding[] = (await tx.select().from(rightsHoldings).where(eq(rightsHoldings.certificateId, current.id))).map((h) => ({
      right: h.right,
      holderId: h.holderId,
      shareBps: h.shareBps,
    }));
    const mine = holdings.find((h) => h.right === right && h.holderId === actor.participantId);
    if (!mine) throw new AppError('FORBIDDEN', { message: `the caller holds no ${right} right in this dataset` });
    if (mine.shareBps < shareBps) {
      throw new AppError('INVALID_SHARES', { field: 'shareBps', message: `shareBps: the caller holds ${mine.shareBps} bps of the ${right} right` });
    }
    mine.shareBps -= shareBps;
    const theirs = holdings.find((h) => h.right === right && h.holderId === toHolderId);
    if (theirs) theirs.shareBps += shareBps;
    else holdings.push({ right, holderId: toHolderId, shareBps });
    const next = checkShares(holdings.filter((h) => h.shareBps > 0));
    await checkHoldersVerified(tx, next);
    const [version] = await tx.select().from(datasetVersions).where(eq(datasetVersions.id, current.versionId));
    return issueCertificate(tx, { version: version!, kind: 'transfer', holdings: next, issuedBy: actor.participantId, previous: current });
  });
}
