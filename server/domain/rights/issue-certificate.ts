// Issuing a rights certificate (确权证书): number, content, content hash, holdings, the link to
// the certificate it replaces, and the anchor record — all in the caller's transaction.
import { and, eq, sql } from 'drizzle-orm';
import { canonicalContentHash } from '../../chain/anchoring/content-hash.ts';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Tx } from '../../db/client.ts';
import { certificateNumbers, rightsCertificates, rightsHoldings } from '../../db/schema.ts';
import type { DatasetVersionRow } from '../catalog/listing-transition.ts';
import type { Holding } from './holdings.ts';

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
  const content: CertificateContent = {
    number,
    kind: options.kind,
    datasetId: version.datasetId,
    versionId: version.id,
    version: version.version,
    commitment: version.commitment,
    previousNumber: previous?.number ?? null,
    holdings: options.holdings,
    issuedBy: options.issuedBy,
    issuedAt: issuedAt.toISOString(),
  };
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

/** DXR-2026-000001, DXR-2026-000002, … without gaps, per year. */
async function nextCertificateNumber(tx: Tx, year: number): Promise<string> {
  const [row] = await tx
    .insert(certificateNumbers)
    .values({ year, last: 1 })
    .onConflictDoUpdate({ target: certificateNumbers.year, set: { last: sql`${certificateNumbers.last} + 1` } })
    .returning();
  return `DXR-${year}-${String(row!.last).padStart(6, '0')}`;
}
