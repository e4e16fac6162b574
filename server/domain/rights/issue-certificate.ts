// Issuing a rights certificate (确权证书): number, content, content hash, holdings, the link to
// the certificate it replaces, and the anchor record — all in the caller's transaction.
import { and, eq, sql } from 'drizzle-orm';
import { canonicalContentHash } from '../../chain/anchoring/content-hash.ts';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Tx } from '../../db/client.ts';
import { certificateNumbers, rightsCertificates, rightsHoldings } from '../../db/schema.ts';
import type { DatasetVersionRow } from '../catalog/listing-transition.ts';
import { sortHoldings, type Holding } from './holdings.ts';

export type CertificateRow = typeof rightsCertificates.$inferSelect;
export const CERTIFICATE_KIND = 'rights.certificate';

export interface CertificateContent {
  number: string;
  kind: CertificateRow['kind'];
  datasetId: string;
  versionId: string;
  version: number;
  commitment: string;
  previousNumber: string | null;
  holdings: Holding[];
  issuedBy: string;
  issuedAt: string;
}

export async function issueCertificate(
  tx: Tx,
  options: { version: DatasetVersionRow; kind: CertificateRow['kind']; holdings: Holding[]; issuedBy: string; previous: CertificateRow | null },
): Promise<CertificateRow> {
  const { version, previous } = options;
  const issuedAt = new Date();
  const number = await nextCertificateNumber(tx, issuedAt.getUTCFullYear());
  if (previous) {
    await tx.update(rightsCertificates).set({ status: 'superseded' }).where(and(eq(rightsCertificates.id, previous.id), eq(rightsCertificates.status, 'current')));
  }
  const content = certificateContent(
    { number, kind: options.kind, datasetId: version.datasetId, versionId: version.id, issuedBy: options.issuedBy, issuedAt },
    version,
    previous?.number ?? null,
    options.holdings,
  );
  const [certificate] = await tx
    .insert(rightsCertificates)
    .values({
      number,
      datasetId: version.datasetId,
      versionId: version.id,
      previousId: previous?.id ?? null,
      kind: options.kind,
      content,
      contentHash: canonicalContentHash(content),
      issuedBy: options.issuedBy,
      issuedAt,
    })
    .returning();
  await tx.insert(rightsHoldings).values(options.holdings.map((h) => ({ certificateId: certificate!.id, ...h })));
  await enqueueAnchor(tx, { kind: CERTIFICATE_KIND, recordId: certificate!.id, content });
  return certificate!;
}

/**
 * What a certificate's anchor commits to; the regulator's audit rebuilds it from the
 * certificate row, its version, its predecessor's number and its holdings rows.
 */
export function certificateContent(
  certificate: Pick<CertificateRow, 'number' | 'kind' | 'datasetId' | 'versionId' | 'issuedBy' | 'issuedAt'>,
  version: Pick<DatasetVersionRow, 'version' | 'commitment'>,
  previousNumber: string | null,
  holdings: Holding[],
): CertificateContent {
  return {
    number: certificate.number,
    kind: certificate.kind,
    datasetId: certificate.datasetId,
    versionId: certificate.versionId,
    version: version.version,
    commitment: version.commitment,
    previousNumber,
    holdings: sortHoldings(holdings).map((h) => ({ right: h.right, holderId: h.holderId, shareBps: h.shareBps })),
    issuedBy: certificate.issuedBy,
    issuedAt: certificate.issuedAt.toISOString(),
  };
}

/** DXR-2026-000001, DXR-2026-000002, … without gaps, per year. */
async function nextCertificateNumber(tx: Tx, year: number): Promise<string> {
  const [row] = await tx
    .insert(certificateNumbers)
    .values({ year, last: 1 })
    .onConflictDoUpdate({ target: certificateNumbers.year, set: { last: sql`${certificateNumbers.last} + 1` } })
    .returning();
  return `DXR-${year}-${String(row!.last).padStart(6, '0')}`;
}
