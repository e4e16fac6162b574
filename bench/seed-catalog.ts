// Listed datasets for the benchmarks, made through the same use cases a provider and the
// operator call: create, upload rows, submit, approve, and optionally register rights.
import { catalogCommitment } from '../sdk/catalog-commitment.ts';
import type { BuiltApp } from '../server/app.ts';
import { createDataset } from '../server/domain/catalog/create-dataset.ts';
import { reviewListing } from '../server/domain/catalog/review-listing.ts';
import { submitForReview } from '../server/domain/catalog/submit-for-review.ts';
import { uploadDatasetRows } from '../server/domain/catalog/upload-dataset-rows.ts';
import { authenticateApiKey } from '../server/domain/participants/authenticate-api-key.ts';
import { registerRights } from '../server/domain/rights/register-rights.ts';

const DISTRICTS = ['福田', '罗湖', '南山'];
const columns = [
  { name: 'district', type: 'category' as const, nullable: false, sensitivity: 'none' as const, categories: DISTRICTS },
  { name: 'vehicles', type: 'integer' as const, nullable: false, sensitivity: 'none' as const },
];

/** The seeded key of the first participant holding a role. */
export function seededToken(built: BuiltApp, role: string): string {
  return built.seededKeys.find((k) => k.roles.includes(role as never))!.token;
}

export async function seedListedDatasets(built: BuiltApp, options: { count: number; grade: 'L1' | 'L2'; withRights: boolean }): Promise<void> {
  const db = built.services.db;
  const provider = await authenticateApiKey({ db, token: seededToken(built, 'provider') });
  const operator = await authenticateApiKey({ db, token: seededToken(built, 'operator') });
  const rows = Array.from({ length: 30 }, (_, i) => ({ district: DISTRICTS[i % 3]!, vehicles: String(100 + i) }));
  const csv = ['district,vehicles', ...rows.map((r) => `${r.district},${r.vehicles}`)].join('\n');
  const commitment = catalogCommitment(columns, rows).root;
  for (let i = 0; i < options.count; i++) {
    const { dataset } = await createDataset({
      db,
      actor: provider,
      input: {
        titleZh: `交通数据集 ${i}`,
        titleEn: `Traffic dataset ${i}`,
        descriptionZh: '按行政区统计的道路车流量数据，用于基准测试。',
        descriptionEn: 'Road traffic volumes by district, for the benchmark.',
        domain: 'transport',
        keywords: ['交通', 'traffic'],
        columns,
        updateFrequency: 'daily',
        rowCount: rows.length,
        sampleRows: rows.slice(0, 2),
        classification: 'transport.traffic',
        grade: options.grade,
        personalInfo: false,
        commitment,
      },
    });
    await uploadDatasetRows({ db, actor: provider, datasetId: dataset.id, csv });
    await submitForReview({ db, actor: provider, datasetId: dataset.id });
    await reviewListing({ db, actor: operator, input: { datasetId: dataset.id, approve: true } });
    if (options.withRights) {
      await registerRights({
        db,
        actor: provider,
        input: {
          datasetId: dataset.id,
          holdings: (['control', 'use', 'income'] as const).map((right) => ({ right, holderId: provider.participantId, shareBps: 10_000 })),
        },
      });
    }
  }
}
