// Reading compliance proofs: a version's proofs with their on-chain record, one proof by id with
// what the plain snarkjs CLI needs to check it again, and a version's sampled-audit challenges.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Groth16VerificationKey } from 'snarkjs';
import type { DbHandle } from '../../db/client.ts';
import { complianceAuditChallenges, complianceAuditNonces, complianceProofs, datasets, datasetVersions } from '../../db/schema.ts';
import { findChainWork } from '../../chain/outbox.ts';
import { loadCircuit } from '../../privacy/zk/artifacts.ts';
import type { CircuitName } from '../../../circuits/registry.ts';
import { canSeeDataset } from '../catalog/find-datasets.ts';
import type { DatasetRow, DatasetVersionRow } from '../catalog/listing-transition.ts';
import { AppError } from '../errors.ts';
import { isUuid, requireUuid } from '../ids.ts';
import type { Viewer } from '../participants/roles.ts';
import { COMPLIANCE_RECORD_KIND } from './compliance-target.ts';

export type ComplianceProofRow = typeof complianceProofs.$inferSelect;
export type AuditChallengeRow = typeof complianceAuditChallenges.$inferSelect;
export type AuditNonceRow = typeof complianceAuditNonces.$inferSelect;

/** A version and its dataset; NOT_FOUND for an unknown id or one the actor may not see. */
export async function findVersion(handle: DbHandle, actor: Viewer | null, versionId: string): Promise<{ version: DatasetVersionRow; dataset: DatasetRow }> {
  requireUuid(versionId, 'versionId');
  const [row] = await handle
    .select({ version: datasetVersions, dataset: datasets })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(eq(datasetVersions.id, versionId));
  if (!row || !canSeeDataset(actor, row.dataset)) throw new AppError('NOT_FOUND', { field: 'versionId' });
  return row;
}

/** A version's verified proofs, oldest first; callers pass a version the actor could already see. */
export function listComplianceProofs({ db, versionId }: { db: DbHandle; versionId: string }): Promise<ComplianceProofRow[]> {
  return db.select().from(complianceProofs).where(eq(complianceProofs.versionId, versionId)).orderBy(asc(complianceProofs.createdAt), asc(complianceProofs.id));
}

/** Proofs by id for the node loader: null for unknown ids and for datasets the actor may not see. */
export async function getComplianceProofsByIds({ db, actor, ids }: { db: DbHandle; actor: Viewer | null; ids: readonly string[] }) {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await db
        .select({ proof: complianceProofs, dataset: datasets })
        .from(complianceProofs)
        .innerJoin(datasets, eq(datasets.id, complianceProofs.datasetId))
        .where(inArray(complianceProofs.id, valid))
    : [];
  const byId = new Map(rows.filter((r) => canSeeDataset(actor, r.dataset)).map((r) => [r.proof.id, r.proof]));
  return ids.map((id) => byId.get(id) ?? null);
}

export interface OnChainRecord {
  /** pending: waiting in the outbox; recorded: on chain; failed: the outbox gave up. */
  status: 'pending' | 'recorded' | 'failed';
  txHash: string | null;
  blockNumber: number | null;
  /** The ComplianceRegistry's key of the record. */
  recordHash: string;
}

/** Where the proof's on-chain record stands, from its outbox row. */
export async function onChainRecord(handle: DbHandle, proof: ComplianceProofRow): Promise<OnChainRecord> {
  const work = await findChainWork(handle, COMPLIANCE_RECORD_KIND, proof.id);
  const status = work?.status === 'done' ? 'recorded' : work?.status === 'failed' ? 'failed' : 'pending';
  return {
    status,
    txHash: work?.txHash ?? null,
    blockNumber: work?.blockNumber != null ? Number(work.blockNumber) : null,
    recordHash: proof.recordHash,
  };
}

/**
 * The circuit's verification_key.json as the exchange verifies with now. Its sha256 is the
 * built key's; when it differs from the proof's vkeySha256 the circuit was re-keyed since.
 */
export async function verificationKeyOf(circuit: string): Promise<{ key: Groth16VerificationKey; sha256: string }> {
  const { verificationKey, vkeySha256 } = await loadCircuit(circuit as CircuitName);
  return { key: verificationKey, sha256: vkeySha256 };
}

/**
 * A version's sampled-audit challenges with their nonces, newest first; callers pass a version the
 * actor could already see (a nonce is no secret once issued: it only fixes which rows are opened).
 */
export async function listAuditChallenges({ db, versionId }: { db: DbHandle; versionId: string }) {
  const challenges = await db
    .select()
    .from(complianceAuditChallenges)
    .where(eq(complianceAuditChallenges.versionId, versionId))
    .orderBy(asc(complianceAuditChallenges.createdAt));
  const nonces = challenges.length
    ? await db
        .select()
        .from(complianceAuditNonces)
        .where(
          and(
            eq(complianceAuditNonces.versionId, versionId),
            inArray(
              complianceAuditNonces.challengeId,
              challenges.map((c) => c.id),
            ),
          ),
        )
        .orderBy(asc(complianceAuditNonces.position))
    : [];
  return challenges.reverse().map((c) => ({ ...c, nonces: nonces.filter((n) => n.challengeId === c.id) }));
}
