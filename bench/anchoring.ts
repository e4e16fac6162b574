// Anchoring's costs: gas per anchored record with 1,000 records in one batch (the whole
// batch costs one transaction), and the time to seal 1,000 and 10,000 pending records into a
// batch (lock, number, build the Merkle tree, write the batch and its outbox row).
// Standalone: node --import tsx bench/anchoring.ts
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { AnchorRegistry } from '../server/chain/anchoring/anchor-registry.ts';
import { canonicalContentHash } from '../server/chain/anchoring/content-hash.ts';
import { sealPendingRecords } from '../server/chain/anchoring/seal-pending-records.ts';
import { ChainClient } from '../server/chain/client.ts';
import { loadCoreArtifact } from '../server/chain/contracts.ts';
import { ensureDeployed } from '../server/chain/deploy.ts';
import { PROJECT_ROOT } from '../server/config.ts';
import { openDatabase, type Db } from '../server/db/client.ts';
import { anchorRecords } from '../server/db/schema.ts';
import { printReport, type Figure } from './report.ts';

/** Pending records as the domain would leave them (written in bulk: enqueueing is not measured here). */
async function writePending(db: Db, n: number, tag: string): Promise<void> {
  for (let start = 0; start < n; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - start) }, (_, k) => {
      const i = start + k;
      const recordId = `${tag}-${i}`;
      return { kind: 'bench.certificate', recordId, contentHash: canonicalContentHash({ recordId, holder: `holder-${i % 97}`, shareBps: 10000 }) };
    });
    await db.insert(anchorRecords).values(rows);
  }
}

async function timedSeal(db: Db, n: number) {
  const started = performance.now();
  const batch = await sealPendingRecords(db, { maxRecords: n });
  const ms = performance.now() - started;
  if (batch?.recordCount !== n) throw new Error(`expected a batch of ${n}, sealed ${batch?.recordCount}`);
  return { batch, ms };
}

export async function benchAnchoring(): Promise<Figure[]> {
  const log = pino({ level: 'silent' });
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  const chain = await ChainClient.open({ kind: 'embedded', projectRoot: PROJECT_ROOT }, database.db, log);
  try {
    const artifact = loadCoreArtifact(PROJECT_ROOT, 'AnchorRegistry');
    const deployment = await ensureDeployed(chain, database.db, log, artifact, [chain.operatorAddress]);
    const registry = new AnchorRegistry(chain, deployment.address, artifact.abi, database.db);

    await writePending(database.db, 1000, 'a');
    const small = await timedSeal(database.db, 1000);
    const sent = await registry.anchorBatch({ batchId: small.batch.id, root: small.batch.root, recordCount: 1000 });
    const receipt = await chain.provider.getTransactionReceipt(sent!.txHash);
    const gasPerRecord = Number(receipt!.gasUsed) / 1000;

    await writePending(database.db, 10_000, 'b');
    const large = await timedSeal(database.db, 10_000);
    return [
      { name: 'gasPerAnchoredRecord', value: gasPerRecord, unit: 'gas', note: `one anchor tx for 1,000 records: ${receipt!.gasUsed} gas` },
      { name: 'seal1000Ms', value: small.ms, unit: 'ms', note: 'PGlite in memory: lock, number, Merkle tree, batch + outbox row' },
      { name: 'seal10000Ms', value: large.ms, unit: 'ms', comparison: { name: 'seal1000Ms', value: small.ms }, note: 'one batch of 10,000' },
    ];
  } finally {
    await chain.close();
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReport(await benchAnchoring());
}
