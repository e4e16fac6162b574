// Small datasets and rule sets for the compliance circuits' tests, and the built circuits'
// prover artifacts.
import { loadCircuit } from '../../server/privacy/zk/artifacts.ts';
import type { CircuitName } from '../../circuits/registry.ts';
import type { ProverArtifacts } from '../../sdk/zk/groth16.ts';
import type { DatasetRow, DatasetSchema } from '../../sdk/zk/dataset-schema.ts';
import { encodeRules, type DeclaredRules } from '../../sdk/zk/rules.ts';
import { commitCatalogDataset, commitmentSchema } from '../../sdk/catalog-commitment.ts';
import { datasetInput, domainColumns, type FactoryColumn } from './datasets.ts';

/** A provider's transaction extract: no personal column. */
export const tradeSchema: DatasetSchema = {
  columns: [
    { name: 'buyer_age', type: { kind: 'integer' } },
    { name: 'amount', type: { kind: 'decimal', scale: 2 } },
    { name: 'region', type: { kind: 'category', codes: ['华北', '华东', '华南', '西部', '东北'] } },
    { name: 'memo', type: { kind: 'text' } },
  ],
};

export const tradeRules: DeclaredRules = {
  buyer_age: { nonNull: true, range: { min: 18, max: 120 }, noResidentIdNumbers: true },
  amount: { range: { min: '-50000.00', max: '50000.00' } },
  region: { nonNull: true, allowed: ['华北', '华东', '华南', '西部'] },
};

/** `count` rows that obey tradeRules; every seventh memo is null. */
export function tradeRows(count: number): Record<string, string | number | null>[] {
  const regions = ['华北', '华东', '华南', '西部'];
  return Array.from({ length: count }, (_, i) => ({
    buyer_age: 18 + ((i * 7) % 80),
    amount: `${(i * 137) % 40000}.${String(i % 100).padStart(2, '0')}`,
    region: regions[i % regions.length]!,
    memo: i % 7 === 0 ? null : `order ${i}`,
  }));
}

/**
 * tradeSchema's four columns (the proved ones, first) and six more that the commitment binds
 * through restHash and no rule may name.
 */
export const wideTradeSchema: DatasetSchema = {
  columns: [
    ...tradeSchema.columns,
    { name: 'shipped_km', type: { kind: 'integer' } },
    { name: 'weight_kg', type: { kind: 'decimal', scale: 3 } },
    { name: 'channel', type: { kind: 'category', codes: ['线上', '门店', '电话'] } },
    { name: 'courier', type: { kind: 'text' } },
    { name: 'rating', type: { kind: 'integer' } },
    { name: 'note', type: { kind: 'text' } },
  ],
};

/** `count` rows of wideTradeSchema: tradeRows plus the six other cells, some of them null. */
export function wideTradeRows(count: number): Record<string, string | number | null>[] {
  return tradeRows(count).map((row, i) => ({
    ...row,
    shipped_km: (i * 31) % 2000,
    weight_kg: `${i % 50}.${String((i * 7) % 1000).padStart(3, '0')}`,
    channel: ['线上', '门店', '电话'][i % 3]!,
    courier: `courier ${i % 5}`,
    rating: i % 4 === 0 ? null : 1 + (i % 5),
    note: i % 3 === 0 ? null : `备注 ${i}`,
  }));
}

/** The rows with row `index` changed. */
export function withRow(rows: readonly DatasetRow[], index: number, change: Record<string, unknown>): DatasetRow[] {
  return rows.map((row, i) => (i === index ? { ...(row as Record<string, unknown>), ...change } : row)) as DatasetRow[];
}

export async function proverArtifacts(circuit: CircuitName): Promise<ProverArtifacts> {
  const { paths } = await loadCircuit(circuit);
  return { wasm: paths.wasm, zkey: paths.zkey };
}

/** tradeSchema as catalog columns (the GraphQL DatasetInput shape). */
export const TRADE_COLUMNS: FactoryColumn[] = [
  { name: 'buyer_age', type: 'INTEGER', nullable: false, sensitivity: 'NONE' },
  { name: 'amount', type: 'DECIMAL', nullable: true, sensitivity: 'NONE', scale: 2 },
  { name: 'region', type: 'CATEGORY', nullable: false, sensitivity: 'NONE', categories: ['华北', '华东', '华南', '西部', '东北'] },
  { name: 'memo', type: 'TEXT', nullable: true, sensitivity: 'NONE' },
];

/**
 * An L3 catalog dataset of `rowCount` trade rows declaring tradeRules, and what its provider keeps
 * to prove from: the committed dataset and the encoded rules, both computed by the sdk.
 */
export function l3TradeDataset(rowCount: number, overrides: Record<string, unknown> = {}) {
  // As a CSV upload gives them: every value a string.
  const rows = tradeRows(rowCount).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])));
  const columns = domainColumns(TRADE_COLUMNS);
  return {
    ...datasetInput({ columns: TRADE_COLUMNS, grade: 'L3', complianceRules: tradeRules, ...overrides }, rows),
    committed: commitCatalogDataset(columns, rows),
    rules: encodeRules(commitmentSchema(columns), tradeRules),
  };
}
