// heGroupQuery1MRowsMs vs plaintextGroupQuery1MRowsMs: what 可用不可见 costs on 1,000,000 rows in
// 64 groups, same data, same run. Plaintext: the buyer's question as one SQL GROUP BY over the
// selected groups (what a buyer holding the rows would run). Encrypted: the whole query the
// exchange runs — the per-group SQL aggregate over all 64 groups (the server cannot know the
// selection), the HE evaluation on the worker pool (keys already cached, as for a buyer's next
// query) and the buyer's decryption; the buyer's encryption is reported alongside. The rows are
// written by one INSERT … SELECT generate_series per batch. On PGlite in memory, and on
// PostgreSQL too when DATABASE_URL or 127.0.0.1:5432 answers (a fresh database, dropped after).
// Standalone: node --import tsx bench/he-group-query.ts
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { generateKeySet } from '../sdk/he/key-set.ts';
import { decryptGroupAggregate, encryptGroupSelection } from '../sdk/he/private-aggregate.ts';
import { openDatabase, rowsOf, type DatabaseTarget, type Db } from '../server/db/client.ts';
import type { Column } from '../server/domain/catalog/dataset-input.ts';
import { groupTotals } from '../server/domain/queries/plaintext-inputs.ts';
import { HeWorkerPool } from '../server/privacy/he/pool.ts';
import { freshPostgres } from './clearing.ts';
import { printReport, type Figure } from './report.ts';

const ROWS = 1_000_000;
const GROUPS = 64;
const BATCH_ROWS = 250_000;
const RUNS = 5;
/** Every third group: 22 of 64. */
const SELECTED = Array.from({ length: GROUPS }, (_, group) => group).filter((group) => group % 3 === 0);

const label = (group: number) => `g${String(group).padStart(2, '0')}`;
const GROUP_COLUMN: Column = { name: 'grp', type: 'category', nullable: false, sensitivity: 'none', categories: Array.from({ length: GROUPS }, (_, g) => label(g)) } as Column;
const VALUE_COLUMN: Column = { name: 'amount', type: 'integer', nullable: false, sensitivity: 'none' } as Column;

/** One provider, one dataset version and its 1,000,000 rows (stored as uploads store them: jsonb of strings). */
async function writeRows(db: Db): Promise<string> {
  const [providerId, datasetId, versionId] = [randomUUID(), randomUUID(), randomUUID()];
  await db.execute(sql`
    insert into participants (id, name, registration_scheme, registration_code, jurisdiction, roles, status, chain_address)
    values (${providerId}, 'bench provider', 'uscc', 'BENCHHE000000001', 'CN', array['provider'], 'verified', '0x' || repeat('ab', 20))`);
  await db.execute(sql`insert into datasets (id, provider_id, status, current_version_id, listed_at) values (${datasetId}, ${providerId}, 'listed', ${versionId}, now())`);
  await db.execute(sql`
    insert into dataset_versions (id, dataset_id, version, title_zh, title_en, description_zh, description_en, domain, keywords, columns,
      update_frequency, row_count, sample_rows, classification, grade, personal_info, commitment, search_text, created_by)
    values (${versionId}, ${datasetId}, 1, '基准数据', 'bench dataset', '基准', 'bench', 'TRANSPORT', array['bench'], ${JSON.stringify([GROUP_COLUMN, VALUE_COLUMN])}::jsonb,
      'DAILY', ${ROWS}, '[]'::jsonb, 'transport.traffic', 'L2', false, '0', 'bench', ${providerId})`);
  for (let from = 0; from < ROWS; from += BATCH_ROWS) {
    // Uneven groups (a multiplicative hash of the row index into 64) and values in [0, 10000).
    await db.execute(sql`
      insert into dataset_rows (version_id, row_index, values)
      select ${versionId}::uuid, i, jsonb_build_object('grp', 'g' || lpad(((i::bigint * 2654435761) % 4294967296 / 67108864)::text, 2, '0'), 'amount', ((i::bigint * 7919) % 10000)::text)
      from generate_series(${from}::int, ${Math.min(from + BATCH_ROWS, ROWS) - 1}::int) i`);
  }
  return versionId;
}

/** The buyer's question in the clear: count and sum over the selected groups, by GROUP BY. */
async function plaintextGroupQuery(db: Db, versionId: string): Promise<{ count: bigint; sum: bigint }> {
  const labels = SELECTED.map(label);
  const rows = rowsOf(
    await db.execute(sql`
      select values->>'grp' as grp, count(values->>'amount')::int as rows, sum((values->>'amount')::numeric)::text as total
      from dataset_rows where version_id = ${versionId} and values->>'grp' in (${sql.join(labels.map((l) => sql`${l}`), sql`, `)})
      group by 1`),
  );
  return { count: rows.reduce((s, r) => s + BigInt(Number(r.rows)), 0n), sum: rows.reduce((s, r) => s + BigInt(String(r.total)), 0n) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Run {
  label: string;
  seedMs: number;
  plaintextMs: number;
  encryptedMs: number;
  parts: { sqlMs: number; evaluateMs: number; decryptMs: number; encryptMs: number };
}

async function benchOn(label: string, target: DatabaseTarget, pool: HeWorkerPool): Promise<Run> {
  const database = await openDatabase(target);
  try {
    const db = database.db;
    const seedStart = performance.now();
    const versionId = await writeRows(db);
    const seedMs = performance.now() - seedStart;
    if (database.kind === 'postgres') await db.execute(sql`analyze dataset_rows`);
    const keySet = await generateKeySet({ scheme: 'bfv', groupCapacity: GROUPS });
    const keys = keySet.publicBundle();
    const cacheKey = `${versionId}:grp:amount:raw`;

    const encryptedQuery = async () => {
      const t0 = performance.now();
      const query = await encryptGroupSelection(keySet, GROUPS, SELECTED);
      const t1 = performance.now();
      const groups = await groupTotals(db, versionId, GROUP_COLUMN, VALUE_COLUMN, null);
      const t2 = performance.now();
      const { result } = await pool.run({ kind: 'group-aggregate', input: { keys, query, groups, policy: { kThreshold: 1, selection: 'subset' }, cacheKey } });
      const t3 = performance.now();
      const answer = await decryptGroupAggregate(keySet, result);
      const t4 = performance.now();
      return { answer, encryptMs: t1 - t0, sqlMs: t2 - t1, evaluateMs: t3 - t2, decryptMs: t4 - t3 };
    };

    // Warm-up: loads the buyer's keys into the workers and PostgreSQL's buffers, and checks the answers agree.
    const truth = await plaintextGroupQuery(db, versionId);
    const { answer } = await encryptedQuery();
    if (answer.count !== truth.count || answer.sum !== truth.sum) {
      throw new Error(`encrypted and plaintext answers differ on ${label}: ${answer.count}/${answer.sum} vs ${truth.count}/${truth.sum}`);
    }
    const plaintext: number[] = [];
    const encrypted: Awaited<ReturnType<typeof encryptedQuery>>[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      await plaintextGroupQuery(db, versionId);
      plaintext.push(performance.now() - start);
      encrypted.push(await encryptedQuery());
    }
    const part = (name: 'sqlMs' | 'evaluateMs' | 'decryptMs' | 'encryptMs') => median(encrypted.map((e) => e[name]));
    const parts = { sqlMs: part('sqlMs'), evaluateMs: part('evaluateMs'), decryptMs: part('decryptMs'), encryptMs: part('encryptMs') };
    const run: Run = {
      label,
      seedMs,
      plaintextMs: median(plaintext),
      encryptedMs: median(encrypted.map((e) => e.sqlMs + e.evaluateMs + e.decryptMs)),
      parts,
    };
    console.log(
      `group query on ${label}: ${ROWS} rows written in ${Math.round(seedMs)} ms; plaintext ${Math.round(run.plaintextMs)} ms, ` +
        `encrypted ${Math.round(run.encryptedMs)} ms (SQL ${Math.round(parts.sqlMs)} + HE ${Math.round(parts.evaluateMs)} + decrypt ${Math.round(parts.decryptMs)}; ` +
        `encrypt ${Math.round(parts.encryptMs)}), ratio ${(run.encryptedMs / run.plaintextMs).toFixed(2)}×`,
    );
    return run;
  } finally {
    await database.close();
  }
}

export async function benchHeGroupQuery(): Promise<Figure[]> {
  const pool = await HeWorkerPool.start();
  const runs: Run[] = [];
  try {
    runs.push(await benchOn('PGlite', { kind: 'pglite', dataDir: null }, pool));
    const pg = await freshPostgres();
    if (pg) {
      try {
        runs.push(await benchOn('PostgreSQL', { kind: 'postgres', url: pg.url, poolSize: 4 }, pool));
      } finally {
        await pg.drop();
      }
    }
  } finally {
    await pool.close();
  }
  return runs.flatMap((r) => {
    const suffix = r.label === 'PGlite' ? '' : r.label;
    return [
      {
        name: `heGroupQuery1MRows${suffix}Ms`,
        value: r.encryptedMs,
        unit: 'ms',
        comparison: { name: `plaintextGroupQuery1MRows${suffix}Ms`, value: r.plaintextMs },
        note:
          `${r.label}: SQL per-group aggregate ${Math.round(r.parts.sqlMs)} + HE on the pool ${Math.round(r.parts.evaluateMs)} + decrypt ${Math.round(r.parts.decryptMs)} ms ` +
          `(buyer's encryption ${Math.round(r.parts.encryptMs)} ms more); ${GROUPS} groups, ${SELECTED.length} selected, median of ${RUNS}`,
      },
      {
        name: `plaintextGroupQuery1MRows${suffix}Ms`,
        value: r.plaintextMs,
        unit: 'ms',
        note: `${r.label}: one GROUP BY over the selected groups; rows written in ${Math.round(r.seedMs)} ms`,
      },
    ];
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReport(await benchHeGroupQuery());
}
