// The provider's dataset commitment: commitDataset on one core against commitDatasetInParallel
// on every core, over the same rows (the factory's trade extract: 4 columns, one of them text).
// Both encode each row, hash it (Poseidon(6)) and build the depth-20 tree.
// Standalone: node --import tsx bench/commitment.ts [rows]
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { commitDataset } from '../sdk/zk/dataset-commitment.ts';
import { commitDatasetInParallel } from '../sdk/zk/parallel-commitment.ts';
import { tradeRows, tradeSchema } from '../test/factories/compliance-datasets.ts';
import { printReport, type Figure } from './report.ts';

export async function benchCommitment(count = 20_000): Promise<Figure[]> {
  const rows = tradeRows(count);
  let started = performance.now();
  const sequential = commitDataset(tradeSchema, rows);
  const sequentialMs = performance.now() - started;
  started = performance.now();
  const parallel = await commitDatasetInParallel(tradeSchema, rows);
  const parallelMs = performance.now() - started;
  if (parallel.root !== sequential.root) throw new Error('the parallel commitment differs from the sequential one');
  const threads = os.availableParallelism();
  return [
    {
      name: 'commitRowsPerSecParallel',
      value: (count / parallelMs) * 1000,
      unit: 'rows/s',
      comparison: { name: 'commitRowsPerSec on one core', value: (count / sequentialMs) * 1000 },
      note: `${count} rows encoded, hashed and committed on ${threads} worker threads vs commitDataset on the main thread`,
    },
    {
      name: 'commit1MRowsParallelEstimateS',
      value: (parallelMs / count) * 1000,
      unit: 's',
      note: `1,000,000 rows at this rate on ${threads} threads (the tree's top levels are a vanishing share)`,
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReport(await benchCommitment(process.argv[2] ? Number(process.argv[2]) : undefined));
}
