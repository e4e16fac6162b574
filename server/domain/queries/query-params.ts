// The public side of an encrypted query: which columns it reads. The buyer's selection,
// identifiers and weights are encrypted; these names are not, and they are checked against
// the licensed version's schema before anything is queued.
import { z } from 'zod';
import { ID_SET_CHUNK_BUCKETS, isIdSetDomainBits, MAX_ID_SET_DOMAIN_BITS, MIN_ID_SET_DOMAIN_BITS } from '../../../sdk/he/id-set-match.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import type { Column } from '../catalog/dataset-input.ts';

export const QUERY_KINDS = ['group-aggregate', 'id-set-match', 'linear-score'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

const name = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);

export const QueryParams = {
  'group-aggregate': z.object({ groupColumn: name, valueColumn: name }),
  'id-set-match': z.object({ keyColumn: name, valueColumn: name }),
  'linear-score': z.object({ groupColumn: name, columns: z.array(name).min(1).max(16) }),
} as const;

export type GroupAggregateParams = z.infer<(typeof QueryParams)['group-aggregate']>;
export type IdSetParams = z.infer<(typeof QueryParams)['id-set-match']>;
export type LinearScoreParams = z.infer<(typeof QueryParams)['linear-score']>;
export type QueryParamsOf = GroupAggregateParams | IdSetParams | LinearScoreParams;

function column(columns: Column[], name: string, field: string, types: Column['type'][]): Column {
  const c = columns.find((x) => x.name === name);
  if (!c) throw new AppError('INVALID_INPUT', { field, message: `${field}: the dataset has no column ${name}` });
  if (!types.includes(c.type)) throw new AppError('INVALID_INPUT', { field, message: `${field}: ${name} is ${c.type}, the query needs ${types.join(' or ')}` });
  return c;
}

/** Parses the params of a kind and checks them against the version's columns. */
export function checkQueryParams(kind: QueryKind, params: unknown, columns: Column[]): { params: QueryParamsOf; groupCount: number | null } {
  switch (kind) {
    case 'group-aggregate': {
      const p = parseInput(QueryParams[kind], params);
      const group = column(columns, p.groupColumn, 'params.groupColumn', ['category']);
      column(columns, p.valueColumn, 'params.valueColumn', ['integer', 'decimal']);
      return { params: p, groupCount: group.categories!.length };
    }
    case 'id-set-match': {
      const p = parseInput(QueryParams[kind], params);
      column(columns, p.keyColumn, 'params.keyColumn', ['text', 'integer', 'category']);
      column(columns, p.valueColumn, 'params.valueColumn', ['integer', 'decimal']);
      return { params: p, groupCount: null };
    }
    case 'linear-score': {
      const p = parseInput(QueryParams[kind], params);
      const group = column(columns, p.groupColumn, 'params.groupColumn', ['category']);
      p.columns.forEach((c, i) => column(columns, c, `params.columns.${i}`, ['integer', 'decimal']));
      return { params: p, groupCount: group.categories!.length };
    }
  }
}

/**
 * The public shape of an ID-set query, checked at submission so an oversized domain is refused
 * before it is stored and metered: the bucket domain within the accepted range, one chunk per
 * 8192 buckets. The evaluator checks the ciphertexts themselves.
 */
export function checkIdSetShape(query: Record<string, unknown>): void {
  const { domainBits, chunks } = query;
  if (!isIdSetDomainBits(domainBits)) {
    throw new AppError('INVALID_INPUT', { field: 'query.domainBits', message: `query.domainBits: the bucket domain must be 2^${MIN_ID_SET_DOMAIN_BITS} to 2^${MAX_ID_SET_DOMAIN_BITS}` });
  }
  const expected = 2 ** domainBits / ID_SET_CHUNK_BUCKETS;
  if (!Array.isArray(chunks) || chunks.length !== expected) {
    throw new AppError('INVALID_INPUT', { field: 'query.chunks', message: `query.chunks: a domain of 2^${domainBits} buckets takes ${expected} ciphertexts` });
  }
}
