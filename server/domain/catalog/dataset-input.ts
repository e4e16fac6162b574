// What a provider declares about a dataset version, validated once for create and revise.
import { z } from 'zod';
import { commitmentSchema } from '../../../sdk/catalog-commitment.ts';
import { MAX_DATASET_COLUMNS } from '../../../sdk/zk/dataset-schema.ts';
import { encodeRules, type DeclaredRules } from '../../../sdk/zk/rules.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { CLASSIFICATIONS, DOMAIN_NAMES, GRADES, UPDATE_FREQUENCIES } from './taxonomy.ts';

export const COLUMN_TYPES = ['integer', 'decimal', 'category', 'text', 'date'] as const;
export const SENSITIVITIES = ['none', 'internal', 'personal', 'sensitive_personal'] as const;

export const ColumnSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _, starting with a letter'),
    type: z.enum(COLUMN_TYPES),
    unit: z.string().trim().max(40).optional(),
    nullable: z.boolean(),
    sensitivity: z.enum(SENSITIVITIES),
    /** Digits after the point, for decimal columns (values are stored as scaled integers in proofs). */
    scale: z.number().int().min(0).max(12).optional(),
    /** The allowed values of a category column, in code order (code = index). */
    categories: z.array(z.string().trim().min(1).max(100)).min(1).max(1024).optional(),
    description: z.string().trim().max(500).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.type === 'category' && !c.categories) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'a category column lists its categories' });
    if (c.type !== 'category' && c.categories) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'only category columns list categories' });
    if (c.type === 'decimal' && c.scale === undefined) ctx.addIssue({ code: 'custom', path: ['scale'], message: 'a decimal column states its scale' });
    if (c.categories && new Set(c.categories).size !== c.categories.length) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'categories repeat' });
  });
export type Column = z.infer<typeof ColumnSchema>;

const COMMITMENT = /^(0x[0-9a-fA-F]{1,64}|\d{1,78})$/;

export const DatasetDescription = z
  .object({
    titleZh: z.string().trim().min(2).max(200),
    titleEn: z.string().trim().min(2).max(200),
    descriptionZh: z.string().trim().min(10).max(10_000),
    descriptionEn: z.string().trim().min(10).max(10_000),
    domain: z.enum(DOMAIN_NAMES as [string, ...string[]]),
    industry: z.string().trim().max(100).optional(),
    keywords: z.array(z.string().trim().min(1).max(40)).min(1).max(20),
    /** The commitment hashes every column; rules may name only the first four (the proved columns). */
    columns: z.array(ColumnSchema).min(1).max(MAX_DATASET_COLUMNS),
    updateFrequency: z.enum(UPDATE_FREQUENCIES),
    rowCount: z.number().int().min(1).max(1_000_000_000),
    sampleRows: z.array(z.record(z.string(), z.unknown())).max(20),
    classification: z.string().refine((c) => CLASSIFICATIONS.includes(c), 'must be one of the taxonomy classifications, e.g. finance.credit'),
    grade: z.enum(GRADES),
    personalInfo: z.boolean(),
    /** Poseidon Merkle root of the rows, computed by the sdk from the provider's file. */
    commitment: z.string().regex(COMMITMENT, 'a field element, decimal or 0x hex'),
    /** Column rules proved in zero knowledge, on the first four columns: { column: { nonNull, range, allowed, noResidentIdNumbers } }. */
    complianceRules: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** Encrypted queries never reveal a group of fewer rows (k-anonymity threshold). */
    minGroupSize: z.number().int().min(1).max(10_000).default(5),
  })
  .superRefine((d, ctx) => {
    if (!d.classification.startsWith(d.domain + '.')) {
      ctx.addIssue({ code: 'custom', path: ['classification'], message: `must be under the domain ${d.domain}` });
    }
    const names = d.columns.map((c) => c.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'column names repeat' });
  });
export type DatasetDescription = z.infer<typeof DatasetDescription>;

const SNARK_FIELD = 21888242871839275222246405745257275088548364400416380344542023738990311057404n + 1n;

export function validateDatasetDescription(input: unknown): DatasetDescription {
  const d = parseInput(DatasetDescription, input);
  const commitment = BigInt(d.commitment);
  if (commitment >= SNARK_FIELD) throw new AppError('INVALID_INPUT', { field: 'commitment', message: 'commitment: not a BN254 field element' });
  d.commitment = commitment.toString();
  if (d.complianceRules) {
    try {
      encodeRules(commitmentSchema(d.columns), d.complianceRules as DeclaredRules);
    } catch (err) {
      throw new AppError('INVALID_INPUT', { field: 'complianceRules', message: `complianceRules: ${(err as Error).message}` });
    }
  }
  d.sampleRows.forEach((row, i) => {
    const problem = rowProblem(d.columns, row);
    if (problem) throw new AppError('INVALID_INPUT', { field: `sampleRows.${i}`, message: `sampleRows.${i}: ${problem}` });
  });
  return d;
}

/** Why a row does not fit the schema, or null when it does. Shared by samples and uploads. */
export function rowProblem(columns: Column[], row: Record<string, unknown>): string | null {
  for (const key of Object.keys(row)) {
    if (!columns.some((c) => c.name === key)) return `unknown column ${key}`;
  }
  for (const c of columns) {
    const v = row[c.name];
    if (v === null || v === undefined || v === '') {
      if (!c.nullable) return `${c.name} is null in a non-null column`;
      continue;
    }
    switch (c.type) {
      case 'integer':
        if (!(typeof v === 'number' ? Number.isSafeInteger(v) : typeof v === 'string' && /^-?\d{1,18}$/.test(v))) return `${c.name} is not an integer`;
        break;
      case 'decimal': {
        const scale = c.scale ?? 0;
        const re = scale > 0 ? new RegExp(`^-?\\d{1,18}(\\.\\d{1,${scale}})?$`) : /^-?\d{1,18}$/;
        if (!(typeof v === 'number' ? Number.isFinite(v) && re.test(String(v)) : typeof v === 'string' && re.test(v))) {
          return `${c.name} is not a decimal with at most ${c.scale} digits after the point`;
        }
        break;
      }
      case 'category':
        if (typeof v !== 'string' || !c.categories!.includes(v)) return `${c.name} is not one of its categories`;
        break;
      case 'text':
        if (typeof v !== 'string' || v.length > 1000) return `${c.name} is not a text of at most 1000 characters`;
        break;
      case 'date':
        if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) return `${c.name} is not a date (YYYY-MM-DD)`;
        break;
    }
  }
  return null;
}
