// The regulator's full audit at scale: 1,000,000 anchored records in 100 batches of 10,000
// (written with generate_series, sealed and anchored on the embedded chain), then the audit
// that reads every record back, recomputes every batch's root and compares it with the chain's
// root and record count. Compared with OpenZeppelin's StandardMerkleTree on the same work
// (measured on one batch, times the number of batches).
// Standalone: node --import tsx bench/audit.ts [records]
import { createHash, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { AnchorRegistry } from '../server/chain/anchoring/anchor-registry.ts';
import { BatchRootPool } from '../server/chain/anchoring/batch-root-pool.ts';
import { anchorBatchRoot } from '../server/chain/anchoring/batch-root.ts';
import { buildAnchorTree, type AnchoredRecordLeaf } from '../server/chain/anchoring/leaf.ts';
import { ChainClient } from '../server/chain/client.ts';
import { loadCoreArtifact } from '../server/chain/contracts.ts';
import { ensureDeployed } from '../server/chain/deploy.ts';
import { PROJECT_ROOT } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { auditAnchoredRecords } from '../server/domain/audit/run-full-audit.ts';
import { printReport, type Figure } from './report.ts';

const BATCH = 10_000;
const KINDS = ['bench.certificate', 'bench.listing-decision', 'bench.trade-filing', 'bench.settlement-record'];

/** The records generate_series writes, rebuilt in JS: kind by i mod 4, id 'bench-i', hash from two md5s. */
function record(i: number): AnchoredRecordLeaf {
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  return { kind: KINDS[i % 4]!, recordId: `bench-${i}`, contentHash: `0x${md5(String(i))}${md5(String(i * 7))}` };
}

export async function benchAudit(records = 1_000_000): Promise<Figure[]> {
  const log = pino({ level: 'silent' });
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  const chain = await ChainClient.open({ kind: 'embedded', projectRoot: PROJECT_ROOT }, database.db, log);
  try {
    const artifact = loadCoreArtifact(PROJECT_ROOT, 'AnchorRegistry');
    const deployment = await ensureDeployed(chain, database.db, log, artifact, [chain.operatorAddress]);
    const registry = new AnchorRegistry(chain, deployment.address, artifact.abi, database.db);
    const db = database.db;

    // Sealed batches as sealPendingRecords leaves them (records numbered, root stored), anchored.
    // Their roots are computed on the pool's workers while the next batch is written.
    const pool = new BatchRootPool();
    const setupStarted = performance.now();
    let ozBatchMs = 0;
    const sealed: { batchId: string; count: number; root: Promise<string> }[] = [];
    for (let start = 0; start < records; start += BATCH) {
      const end = Math.min(records, start + BATCH) - 1;
      const batchId = randomUUID();
      await db.execute(sql`
        insert into anchor_records (kind, record_id, content_hash, batch_id, leaf_index)
        select (${sql.raw(`array['${KINDS.join("','")}']`)})[g % 4 + 1], 'bench-' || g, '0x' || md5(g::text) || md5((g * 7)::text), ${batchId}::uuid, g - ${start}
        from generate_series(${start}::int, ${end}::int) g`);
      const leaves = Array.from({ length: end - start + 1 }, (_, k) => record(start + k));
      const root = pool.root(leaves);
      root.catch(() => undefined);
      if (start === 0) {
        // The fast root is OpenZeppelin's root; the first batch is held to it, and timed both ways.
        const t = performance.now();
        const oz = buildAnchorTree(leaves).root;
        ozBatchMs = performance.now() - t;
        if (oz !== anchorBatchRoot(leaves)) throw new Error(`the fast root differs from OpenZeppelin's ${oz}`);
      }
      sealed.push({ batchId, count: leaves.length, root });
    }
    for (const b of sealed) {
      const root = await b.root;
      await db.execute(sql`insert into anchor_batches (id, root, record_count, status) values (${b.batchId}::uuid, ${root}, ${b.count}, 'anchored')`);
      await registry.anchorBatch({ batchId: b.batchId, root, recordCount: b.count });
    }
    const setupMs = performance.now() - setupStarted;
    const batches = Math.ceil(records / BATCH);

    const started = performance.now();
    const report = await auditAnchoredRecords({ db, anchorRegistry: registry, pool });
    const auditMs = performance.now() - started;
    await pool.close();
    if (!report.clean || report.records !== records || report.batchesMatching !== batches) {
      throw new Error(`the audit of an untouched store found ${report.findingCount} problems (${report.records} records, ${report.batchesMatching}/${batches} batches matching)`);
    }
    const label = records === 1_000_000 ? '1M' : `${records}`;
    return [
      {
        name: `fullAudit${label}RecordsMs`,
        value: auditMs,
        unit: 'ms',
        comparison: { name: 'OpenZeppelin tree, estimated', value: ozBatchMs * batches },
        note: `${batches} batches of ${BATCH}: read back, roots recomputed on ${pool.size} worker threads, rootOf + recordCountOf on chain (setup ${Math.round(setupMs / 1000)} s)`,
      },
      { name: 'auditRecordsPerSecond', value: (records / auditMs) * 1000, unit: 'records/s', note: 'PGlite in memory; keccak256 from ethers' },
    ];
  } finally {
    await chain.close();
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReport(await benchAudit(process.argv[2] ? Number(process.argv[2]) : undefined));
}
