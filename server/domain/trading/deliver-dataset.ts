import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { datasetRows, datasetVersions } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Column } from '../catalog/dataset-input.ts';
import type { Viewer } from '../participants/roles.ts';
import { useLicence } from './use-licence.ts';
import { csvDocument } from '../csv.ts';

/**
 * Delivers the licensed version's rows as CSV to a buyer whose licence allows delivery. The
 * use is checked and metered like a query and written to the audit log; a query-only licence
 * (L3 data, cross-border buyers) is refused with LICENCE_TERMS.
 */
export async function deliverDataset({ db, actor, licenceId }: { db: Db; actor: Viewer | null; licenceId: string }): Promise<{ filename: string; csv: string }> {
  return db.transaction(async (tx) => {
    const deliveryId = randomUUID();
    const { licence } = await useLicence(tx, actor, { licenceId, use: 'delivery', usageRef: `delivery:${deliveryId}`, kind: 'csv' });
    const [version] = await tx.select().from(datasetVersions).where(eq(datasetVersions.id, licence.versionId));
    const columns = version!.columns as Column[];
    const rows = await tx.select({ values: datasetRows.values }).from(datasetRows).where(eq(datasetRows.versionId, version!.id)).orderBy(asc(datasetRows.rowIndex));
    await recordAudit(tx, {
      actor,
      action: 'data.delivered',
      subjectKind: 'licence',
      subjectId: licence.id,
      details: { deliveryId, datasetId: licence.datasetId, versionId: version!.id, rows: rows.length },
    });
    const csv = csvDocument(
      columns.map((c) => c.name),
      rows.map((r) => columns.map((c) => (r.values as Record<string, unknown>)[c.name])),
    );
    return { filename: `${licence.datasetId}-v${version!.version}.csv`, csv };
  });
}
