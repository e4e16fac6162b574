import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { QUERY_SCHEME } from '../../../sdk/he/params.ts';
import type { Db } from '../../db/client.ts';
import { datasetVersions, encryptedQueries, heKeySets, licences } from '../../db/schema.ts';
import { canonicalJson } from '../../chain/anchoring/content-hash.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Column } from '../catalog/dataset-input.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { useLicence } from '../trading/use-licence.ts';
import { spendIdSetSalt } from './issue-id-set-salt.ts';
import { checkIdSetShape, checkQueryParams, QUERY_KINDS } from './query-params.ts';

/** An ID-set query over 2^22 buckets is ~110 MB of base64; that is the ceiling. */
export const MAX_QUERY_BYTES = 128 * 1024 * 1024;

const Input = z.object({
  licenceId: z.string(),
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  kind: z.enum(QUERY_KINDS),
  params: z.unknown(),
  /** The buyer's encrypted query as the sdk built it (sdk/he/query-result.ts HeQuery). */
  query: z.record(z.string(), z.unknown()),
  /** Differential-privacy budget this query spends; required when the licence carries a budget. */
  epsilon: z.number().positive().max(10).optional(),
});

export type EncryptedQueryRow = typeof encryptedQueries.$inferSelect;

/**
 * A licensed buyer submits an encrypted query. The licence is checked and the use metered
 * (quota, ε, per-query price) in the same transaction that queues the job; the server stores
 * only ciphertexts and column names, and the audit log only a hash of the parameters. An
 * ID-set query spends a salt the exchange issued for the licence (issue-id-set-salt.ts).
 */
export async function submitEncryptedQuery({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<EncryptedQueryRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'buyer')) throw new AppError('FORBIDDEN');
  const data = parseInput(Input, input);
  requireUuid(data.licenceId, 'licenceId');
  const request = new TextEncoder().encode(JSON.stringify(data.query));
  if (request.length > MAX_QUERY_BYTES) throw new AppError('INVALID_INPUT', { field: 'query', message: `query: larger than ${MAX_QUERY_BYTES / 2 ** 20} MiB` });
  if (data.query.kind !== data.kind) throw new AppError('INVALID_INPUT', { field: 'query.kind', message: `query.kind: must be ${data.kind}` });

  return db.transaction(async (tx) => {
    const [key] = await tx.select({ participantId: heKeySets.participantId, scheme: heKeySets.scheme, revokedAt: heKeySets.revokedAt }).from(heKeySets).where(eq(heKeySets.keyId, data.keyId));
    if (!key || key.participantId !== actor.participantId || key.revokedAt) throw new AppError('NOT_FOUND', { field: 'keyId', message: 'keyId: upload the key set first' });
    if (key.scheme !== QUERY_SCHEME[data.kind]) throw new AppError('INVALID_INPUT', { field: 'keyId', message: `keyId: a ${data.kind} query needs a ${QUERY_SCHEME[data.kind]} key set` });
    const [licence] = await tx.select().from(licences).where(eq(licences.id, data.licenceId));
    if (!licence || licence.buyerId !== actor.participantId) throw new AppError('NOT_FOUND', { field: 'licenceId' });
    const [version] = await tx.select().from(datasetVersions).where(eq(datasetVersions.id, licence.versionId));
    const { params, groupCount } = checkQueryParams(data.kind, data.params, version!.columns as Column[]);
    if (groupCount !== null && data.query.groupCount !== groupCount) {
      throw new AppError('INVALID_INPUT', { field: 'query.groupCount', message: `query.groupCount: the column has ${groupCount} groups` });
    }
    if (licence.epsilonBudgetMicro !== null && data.epsilon === undefined) {
      throw new AppError('INVALID_INPUT', { field: 'epsilon', message: 'epsilon: this licence adds differential-privacy noise; say how much budget to spend' });
    }
    const epsilonMicro = data.epsilon === undefined || licence.epsilonBudgetMicro === null ? null : BigInt(Math.round(data.epsilon * 1e6));
    const id = randomUUID();
    if (data.kind === 'id-set-match') {
      checkIdSetShape(data.query);
      await spendIdSetSalt(tx, { licenceId: licence.id, salt: data.query.salt, queryId: id });
    }
    await useLicence(tx, actor, { licenceId: licence.id, use: 'query', usageRef: `query:${id}`, kind: data.kind, epsilonMicro: epsilonMicro ?? undefined });
    const paramsHash = createHash('sha256').update(canonicalJson({ kind: data.kind, params })).digest('hex');
    const [row] = await tx
      .insert(encryptedQueries)
      .values({
        id,
        licenceId: licence.id,
        buyerId: actor.participantId,
        datasetId: licence.datasetId,
        versionId: licence.versionId,
        keyId: data.keyId,
        kind: data.kind,
        params,
        paramsHash,
        request,
        epsilonMicro,
      })
      .returning();
    await recordAudit(tx, {
      actor,
      action: 'query.submitted',
      subjectKind: 'encrypted-query',
      subjectId: id,
      details: { kind: data.kind, datasetId: licence.datasetId, licenceId: licence.id, paramsHash, epsilon: data.epsilon ?? null, bytes: request.length },
    });
    return row!;
  });
}
