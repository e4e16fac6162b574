import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { rightsCertificates } from '../../db/schema.ts';
import { currentVersion, lockDataset } from '../catalog/listing-transition.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { checkHoldersVerified, checkShares, HoldingInput } from './holdings.ts';
import { issueCertificate, type CertificateRow } from './issue-certificate.ts';

const Input = z.object({
  datasetId: z.string(),
  holdings: z.array(HoldingInput).min(3).max(300),
});

/**
 * 确权登记: the provider registers who holds the control, use and income rights of its
 * dataset's current version. The first registration issues an initial certificate; a later
 * one (for a new version, or corrected holdings) a re-registration chained to the previous.
 */
export async function registerRights({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<CertificateRow> {
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  const { datasetId, holdings } = parseInput(Input, input);
  const canonical = checkShares(holdings);
  return db.transaction(async (tx) => {
    const dataset = await lockDataset(tx, datasetId);
    if (dataset.providerId !== actor!.participantId) throw new AppError('NOT_FOUND', { field: 'datasetId' });
    if (dataset.status === 'delisted') throw new AppError('INVALID_STATE', { message: 'rights cannot be registered on a delisted dataset' });
    await checkHoldersVerified(tx, canonical);
    const version = await currentVersion(tx, dataset);
    const [previous] = await tx
      .select()
      .from(rightsCertificates)
      .where(and(eq(rightsCertificates.datasetId, datasetId), eq(rightsCertificates.status, 'current')))
      .for('update');
    return issueCertificate(tx, {
      version,
      kind: previous ? 're-registration' : 'initial',
      holdings: canonical,
      issuedBy: actor!.participantId,
      previous: previous ?? null,
    });
  });
}
