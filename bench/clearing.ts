// clearing1MUsageRecordsMs: one clearing cycle over 1,000,000 metered uses by 1,000
// participants of 200 datasets (10,000 licences, every income right split 70/30) — compute
// (claim, obligations, fees, income split), settle (one ledger transaction, 1,000 settlement
// records anchored through the outbox) and anchor (seal the batches, put their roots on the
// embedded chain). The market is written straight with SQL (generate_series), with escrow that
// matches the uses, so only clearing is measured. On PGlite in memory, and on PostgreSQL too
// when DATABASE_URL or 127.0.0.1:5432 answers (a fresh database, dropped afterwards).
// Standalone: node --import tsx bench/clearing.ts
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import postgres from 'postgres';
import { AnchorRegistry } from '../server/chain/anchoring/anchor-registry.ts';
import { AnchoringWorker } from '../server/chain/anchoring/anchoring-worker.ts';
import { ChainClient } from '../server/chain/client.ts';
import { loadCoreArtifact } from '../server/chain/contracts.ts';
import { ensureDeployed } from '../server/chain/deploy.ts';
import { OutboxDispatcher } from '../server/chain/outbox.ts';
import { PROJECT_ROOT } from '../server/config.ts';
import { openDatabase, rowsOf, type DatabaseTarget, type Db } from '../server/db/client.ts';
import type { ClearingTotals } from '../server/domain/clearing/clearing-cycle.ts';
import { computeClearingCycle } from '../server/domain/clearing/compute-clearing-cycle.ts';
import { settleClearingCycle } from '../server/domain/clearing/settle-clearing-cycle.ts';
import { printReport, type Figure } from './report.ts';

const FEE_BPS = 200;

export interface MarketSize {
  participants: number;
  datasets: number;
  licencesPerParticipant: number;
  uses: number;
}

const MARKET: MarketSize = { participants: 1000, datasets: 200, licencesPerParticipant: 10, uses: 1_000_000 };

/** The market the cycle clears: participants, listed datasets with rights, per-query licences, uses and their escrow. */
export async function writeMarket(db: Db, size: MarketSize = MARKET): Promise<void> {
  const { participants: PARTICIPANTS, datasets: DATASETS, uses: USES } = size;
  const licences = PARTICIPANTS * size.licencesPerParticipant;
  // Ids are md5 of a name, so the statements below can find each other's rows without lookups.
  const id = (kind: string, n: string) => sql.raw(`md5('${kind}:' || ${n})::uuid`);
  const datasetOf = (k: string) => `((${k} * 7 + ${k} / ${PARTICIPANTS}) % ${DATASETS})`; // 10 different datasets per buyer
  const priceOf = (j: string) => `(100 + ${j} % 37)`;
  await db.execute(sql`
    insert into participants (id, name, registration_scheme, registration_code, jurisdiction, roles, status, chain_address)
    select ${id('participant', 'i')}, 'bench participant ' || i, 'uscc', 'BENCH' || lpad(i::text, 13, '0'), 'CN', array['provider', 'buyer'], 'verified',
           '0x' || substr(md5('address:' || i) || md5('address2:' || i), 1, 40)
    from generate_series(0, ${PARTICIPANTS - 1}) i`);
  await db.execute(sql`
    insert into ledger_accounts (owner_id, kind)
    select ${id('participant', 'i')}, k from generate_series(0, ${PARTICIPANTS - 1}) i, unnest(array['available', 'escrow']) k`);
  await db.execute(sql`
    insert into datasets (id, provider_id, status, current_version_id, listed_at)
    select ${id('dataset', 'j')}, ${id('participant', `(j * 5) % ${PARTICIPANTS}`)}, 'listed', ${id('version', 'j')}, now()
    from generate_series(0, ${DATASETS - 1}) j`);
  await db.execute(sql`
    insert into dataset_versions (id, dataset_id, version, title_zh, title_en, description_zh, description_en, domain, keywords, columns,
      update_frequency, row_count, sample_rows, classification, grade, personal_info, commitment, search_text, created_by)
    select ${id('version', 'j')}, ${id('dataset', 'j')}, 1, '基准数据 ' || j, 'bench dataset ' || j, '基准', 'bench', 'TRANSPORT', array['bench'], '[]'::jsonb,
      'DAILY', 100, '[]'::jsonb, 'transport.traffic', 'L2', false, '0', 'bench', ${id('participant', `(j * 5) % ${PARTICIPANTS}`)}
    from generate_series(0, ${DATASETS - 1}) j`);
  await db.execute(sql`
    insert into rights_certificates (id, number, dataset_id, version_id, kind, status, content, content_hash, issued_by)
    select ${id('certificate', 'j')}, 'BENCH-' || j, ${id('dataset', 'j')}, ${id('version', 'j')}, 'initial', 'current', '{}'::jsonb, '0x', ${id('participant', '0')}
    from generate_series(0, ${DATASETS - 1}) j`);
  await db.execute(sql`
    insert into rights_holdings (certificate_id, "right", holder_id, share_bps)
    select ${id('certificate', 'j')}, 'income', ${id('participant', `(j * 5) % ${PARTICIPANTS}`)}, 7000 from generate_series(0, ${DATASETS - 1}) j
    union all
    select ${id('certificate', 'j')}, 'income', ${id('participant', `(j * 5 + 1) % ${PARTICIPANTS}`)}, 3000 from generate_series(0, ${DATASETS - 1}) j`);
  await db.execute(sql`
    insert into price_plans (id, dataset_id, kind, title, price_fen, terms)
    select ${id('plan', 'j')}, ${id('dataset', 'j')}, 'per_query', 'per query', ${sql.raw(priceOf('j'))}, '{}'::jsonb
    from generate_series(0, ${DATASETS - 1}) j`);
  const j = datasetOf('k');
  await db.execute(sql`
    insert into orders (id, buyer_id, provider_id, dataset_id, version_id, plan_id, purpose, territory, cross_border, access, amount_fen, status, idempotency_key)
    select ${id('order', 'k')}, ${id('participant', `k % ${PARTICIPANTS}`)}, ${id('participant', `(${j} * 5) % ${PARTICIPANTS}`)}, ${id('dataset', j)},
      ${id('version', j)}, ${id('plan', j)}, 'academic_research', 'CN', false, 'query_only', 0, 'accepted', 'bench-' || k
    from generate_series(0, ${licences - 1}) k`);
  await db.execute(sql`
    insert into trades (id, order_id, buyer_id, provider_id, dataset_id, version_id, plan_id, certificate_id, amount_fen, domain, classification,
      grade, territory, cross_border, plan_kind, created_at)
    select ${id('trade', 'k')}, ${id('order', 'k')}, ${id('participant', `k % ${PARTICIPANTS}`)}, ${id('participant', `(${j} * 5) % ${PARTICIPANTS}`)},
      ${id('dataset', j)}, ${id('version', j)}, ${id('plan', j)}, ${id('certificate', j)}, 0, 'TRANSPORT', 'transport.traffic', 'L2', 'CN', false,
      'per_query', now() - interval '1 hour'
    from generate_series(0, ${licences - 1}) k`);
  await db.execute(sql`
    insert into licences (id, trade_id, buyer_id, provider_id, dataset_id, version_id, plan_id, purpose, territories, access, valid_from, valid_until, per_query_fen)
    select ${id('licence', 'k')}, ${id('trade', 'k')}, ${id('participant', `k % ${PARTICIPANTS}`)}, ${id('participant', `(${j} * 5) % ${PARTICIPANTS}`)},
      ${id('dataset', j)}, ${id('version', j)}, ${id('plan', j)}, 'academic_research', array['CN'], 'query_only', now() - interval '1 day',
      now() + interval '1 year', ${sql.raw(priceOf(j))}
    from generate_series(0, ${licences - 1}) k`);
  const ju = datasetOf(`(u % ${licences})`);
  await db.execute(sql`
    insert into usage_records (licence_id, buyer_id, provider_id, dataset_id, certificate_id, usage_ref, kind, amount_fen, created_at)
    select ${id('licence', `u % ${licences}`)}, ${id('participant', `u % ${PARTICIPANTS}`)}, ${id('participant', `(${ju} * 5) % ${PARTICIPANTS}`)},
      ${id('dataset', ju)}, ${id('certificate', ju)}, 'bench:' || u, 'group_aggregate', ${sql.raw(priceOf(ju))}, now() - interval '1 minute'
    from generate_series(0, ${USES - 1}) u`);
  // What the uses put in escrow when they happened, as one balanced funding transaction.
  await db.transaction(async (tx) => {
    const [funding] = rowsOf(await tx.execute(sql`insert into ledger_transactions (kind, reference) values ('bench-funding', 'bench') returning id`));
    await tx.execute(sql`
      insert into ledger_entries (transaction_id, account_id, amount_fen)
      select ${funding!.id as string}::uuid, a.id, s.fen
      from (select buyer_id, sum(amount_fen) as fen from usage_records group by buyer_id) s
      join ledger_accounts a on a.owner_id = s.buyer_id and a.kind = 'escrow'
      union all
      select ${funding!.id as string}::uuid, (select id from ledger_accounts where owner_id is null and kind = 'gateway'), -(select sum(amount_fen) from usage_records)`);
  });
}

interface PhaseTimes {
  label: string;
  setupMs: number;
  computeMs: number;
  settleMs: number;
  anchorMs: number;
  cpu: { computeCpuMs: number; settleCpuMs: number; anchorCpuMs: number };
  totals: ClearingTotals;
}

async function benchOn(label: string, target: DatabaseTarget): Promise<PhaseTimes> {
  const log = pino({ level: 'silent' });
  const database = await openDatabase(target);
  const chain = await ChainClient.open({ kind: 'embedded', projectRoot: PROJECT_ROOT }, database.db, log);
  try {
    const artifact = loadCoreArtifact(PROJECT_ROOT, 'AnchorRegistry');
    const deployment = await ensureDeployed(chain, database.db, log, artifact, [chain.operatorAddress]);
    const registry = new AnchorRegistry(chain, deployment.address, artifact.abi, database.db);
    const anchoring = new AnchoringWorker(database.db, log, new OutboxDispatcher(database.db, log, registry.outboxHandlers()));
    const db = database.db;

    // Wall time, and CPU time: this process's (PGlite runs in it) plus, on PostgreSQL, the
    // server backends' when the server runs on this machine. CPU time is what the work costs
    // whatever else the machine is doing; wall time is what a user waits on a shared machine.
    const timed = async <T>(f: () => Promise<T>): Promise<[T, number, number]> => {
      const backendsBefore = database.kind === 'postgres' ? await backendCpuMs(db) : null;
      const wall = performance.now();
      const cpu = process.cpuUsage();
      const value = await f();
      const used = process.cpuUsage(cpu);
      const wallMs = performance.now() - wall;
      let cpuMs = (used.user + used.system) / 1000;
      const backendsAfter = backendsBefore ? await backendCpuMs(db) : null;
      if (backendsBefore && backendsAfter) for (const [pid, ms] of backendsAfter) cpuMs += ms - (backendsBefore.get(pid) ?? 0);
      return [value, wallMs, cpuMs];
    };
    const [, setupMs] = await timed(() => writeMarket(db));
    const [computed, computeMs, computeCpuMs] = await timed(() => computeClearingCycle({ db, trigger: 'manual', feeBps: FEE_BPS }));
    if (!computed) throw new Error('nothing to clear');
    const [settled, settleMs, settleCpuMs] = await timed(() => settleClearingCycle({ db, cycleId: computed.id }));
    const [, anchorMs, anchorCpuMs] = await timed(async () => {
      for (;;) {
        const run = await anchoring.runOnce();
        if (run.sealed.length === 0 && run.delivered === 0) break;
      }
    });
    const cpu = { computeCpuMs, settleCpuMs, anchorCpuMs };

    const totals = settled.totals as ClearingTotals;
    const [check] = rowsOf(
      await db.execute(sql`
        select (select count(*) from usage_records where cycle_id is distinct from ${settled.id}::uuid)::int as uncleared,
               (select coalesce(sum(balance_fen), 0) from ledger_accounts)::text as ledger,
               (select count(*) from ledger_accounts where kind in ('available', 'escrow') and balance_fen < 0)::int as negative,
               (select count(*) from anchor_records r join anchor_batches b on b.id = r.batch_id
                 where r.kind = 'clearing.settlement-record' and b.status = 'anchored')::int as anchored`),
    );
    if (totals.usage.count !== MARKET.uses || check!.uncleared !== 0 || check!.ledger !== '0' || check!.negative !== 0 || check!.anchored !== totals.settlement!.records) {
      throw new Error(`clearing bench on ${label} does not add up: ${JSON.stringify({ totals, check })}`);
    }
    console.log(
      `clearing on ${label}: market written in ${Math.round(setupMs)} ms; compute ${Math.round(computeMs)} ms (cpu ${Math.round(computeCpuMs)}), ` +
        `settle ${Math.round(settleMs)} ms (cpu ${Math.round(settleCpuMs)}), anchor ${Math.round(anchorMs)} ms (cpu ${Math.round(anchorCpuMs)}) — ` +
        `${totals.usage.count} uses, gross ${totals.grossFen} fen, fees ${totals.feeFen}, ${totals.lines} lines, ` +
        `${totals.settlement!.records} settlement records in one batch`,
    );
    return { label, setupMs, computeMs, settleMs, anchorMs, cpu, totals };
  } finally {
    await chain.close();
    await database.close();
  }
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (ms) used so far by each PostgreSQL backend of this database; null when the server is not on this machine. */
async function backendCpuMs(db: Db): Promise<Map<number, number> | null> {
  const pids = rowsOf(await db.execute(sql`select pid from pg_stat_activity where datname = current_database()`)).map((r) => Number(r.pid));
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      // Fields after "pid (comm) ": state is the first, utime the 12th, stime the 13th.
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
      used.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND);
    } catch {
      return null;
    }
  }
  return used;
}

/** A fresh database on the PostgreSQL server that answers, or null when none does. */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = postgres(adminUrl, { max: 1, connect_timeout: 2, onnotice: () => {} });
  const name = `exchange_bench_${randomBytes(6).toString('hex')}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } catch {
    await admin.end({ timeout: 1 }).catch(() => {});
    return null;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 1 });
    },
  };
}

export async function benchClearing(): Promise<Figure[]> {
  const runs = [await benchOn('PGlite', { kind: 'pglite', dataDir: null })];
  const pg = await freshPostgres();
  if (pg) {
    try {
      runs.push(await benchOn('PostgreSQL', { kind: 'postgres', url: pg.url, poolSize: 4 }));
    } finally {
      await pg.drop();
    }
  }
  const figures: Figure[] = [];
  for (const r of runs) {
    const suffix = r.label === 'PGlite' ? '' : r.label;
    const total = r.computeMs + r.settleMs + r.anchorMs;
    const inProcess = r.label === 'PGlite';
    const cpuTotal = r.cpu.computeCpuMs + r.cpu.settleCpuMs + r.cpu.anchorCpuMs;
    figures.push({
      name: `clearing1MUsageRecords${suffix}Ms`,
      value: total,
      unit: 'ms',
      note:
        `${r.label}${inProcess ? ' in memory' : ''}: compute ${Math.round(r.computeMs)} + settle ${Math.round(r.settleMs)} + anchor ${Math.round(r.anchorMs)} ms ` +
        `(CPU ${Math.round(r.cpu.computeCpuMs)} + ${Math.round(r.cpu.settleCpuMs)} + ${Math.round(r.cpu.anchorCpuMs)} = ${Math.round(cpuTotal)} ms); ` +
        `${r.totals.lines} lines, ${r.totals.settlement!.records} records`,
    });
    figures.push({ name: `clearingCompute${suffix}Ms`, value: r.computeMs, unit: 'ms', note: 'claim 1M uses (one UPDATE … RETURNING), payable lines by SQL, fees, 70/30 income split' });
    figures.push({ name: `clearingSettle${suffix}Ms`, value: r.settleMs, unit: 'ms', note: 'one ledger transaction of ~2,000 legs, 1,000 netted records sealed as one batch' });
    figures.push({ name: `clearingAnchor${suffix}Ms`, value: r.anchorMs, unit: 'ms', note: "deliver the batch's outbox row: its root anchored on the embedded chain" });
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReport(await benchClearing());
}
