// 合规证明: a provider submits a zero-knowledge proof, made with the sdk over its own rows, that a
// dataset version obeys its declared rules (or its groups are large enough). The exchange holds
// the proof's statement against the version, verifies it, and records it: the proof row, an
// audit-log entry and the on-chain record (through the outbox) in one transaction.
//
// A positive_list proof (正面清单) is about the version's classification and a destination the
// provider names: it must be under the list's current root (server/domain/crossborder/
// positive-list-tree.ts), and the cross-border gate then finds it by dataset, destination and
// category.
import { createHash } from 'node:crypto';
import { and, eq, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import { canonicalJson } from '../../chain/anchoring/content-hash.ts';
import { complianceProofHash, solidityProof, type RecordComplianceProofPayload } from '../../chain/compliance-registry.ts';
import { enqueueChainWork } from '../../chain/outbox.ts';
import type { Db } from '../../db/client.ts';
import { complianceAuditNonces, complianceProofs } from '../../db/schema.ts';
import { loadCircuit } from '../../privacy/zk/artifacts.ts';
import { decodePublicSignals, encodePublicSignals, verifyStatement, type Statement } from '../../privacy/zk/statements.ts';
import { MalformedProofError, parseProof, toSolidityCalldata } from '../../privacy/zk/verify.ts';
import type { DatasetVersionRow } from '../catalog/listing-transition.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import { Destination } from '../crossborder/crossborder-records.ts';
import { currentPositiveList, matchesCurrentList } from '../crossborder/positive-list-tree.ts';
import { COMPLIANCE_RECORD_KIND, complianceTarget, VERSION_CIRCUITS, type ComplianceTarget, type VersionCircuit } from './compliance-target.ts';
import { findVersion, type ComplianceProofRow } from './find-compliance-proofs.ts';
import { COMPLIANCE_COLUMNS } from '../../../sdk/zk/parameters.ts';

const Input = z.object({
  versionId: z.string(),
  circuit: z.enum(VERSION_CIRCUITS),
  /** The public signals as snarkjs wrote them (public.json): decimal strings. */
  publicSignals: z.unknown(),
  /** The proof as snarkjs wrote it (proof.json). */
  proof: z.unknown(),
  /** positive_list only: the destination (ISO 3166-1 alpha-2) the proof is for. */
  destination: Destination.optional(),
});

const mismatch = (message: string) => new AppError('PROOF_MISMATCH', { field: 'publicSignals', message });
const replayed = (message: string) => new AppError('PROOF_REPLAYED', { message });

export async function submitComplianceProof({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<ComplianceProofRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  const { versionId, circuit, publicSignals, proof: rawProof, destination } = parseInput(Input, input);
  if (circuit === 'positive_list' && !destination) {
    throw new AppError('INVALID_INPUT', { field: 'destination', message: 'destination: a positive_list proof names the destination it is for' });
  }
  if (circuit !== 'positive_list' && destination) {
    throw new AppError('INVALID_INPUT', { field: 'destination', message: 'destination: only a positive_list proof names a destination' });
  }
  const { version, dataset } = await findVersion(db, actor, versionId);
  if (dataset.providerId !== actor.participantId) throw new AppError('FORBIDDEN', { message: 'only the dataset’s provider proves its compliance' });

  const { statement, proof } = parseSubmission(circuit, publicSignals, rawProof);
  if (circuit === 'positive_list') await checkPositiveList(db, statement as Statement<'positive_list'>, destination!, version);
  else checkStatement(circuit, statement, complianceTarget(version), version);
  const nonce = circuit === 'sampled_audit' ? await issuedNonce(db, version.id, (statement as Statement<'sampled_audit'>).nonce) : null;

  // Canonical forms: the same proof written differently is still the same proof.
  const signals = encodePublicSignals(circuit, statement);
  const proofHash = createHash('sha256').update(canonicalJson({ pi_a: proof.pi_a, pi_b: proof.pi_b, pi_c: proof.pi_c, publicSignals: signals })).digest('hex');
  const recordHash = complianceProofHash(circuit, dataset.id, version.version, signals.map(BigInt));
  const [earlier] = await db
    .select({ id: complianceProofs.id })
    .from(complianceProofs)
    .where(or(eq(complianceProofs.proofHash, proofHash), eq(complianceProofs.recordHash, recordHash)));
  if (earlier) throw replayed('this proof, or a proof of the same statement for this version, was already submitted');

  if (!(await verifyStatement(circuit, signals, proof))) throw new AppError('INVALID_PROOF', { field: 'proof', message: `the proof does not verify against the ${circuit} verification key` });
  const { vkeySha256 } = await loadCircuit(circuit);

  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(complianceProofs)
        .values({
          datasetId: dataset.id,
          versionId: version.id,
          circuit,
          statement: Object.fromEntries(Object.entries(statement).map(([name, value]) => [name, String(value)])),
          publicSignals: signals,
          proof,
          proofHash,
          recordHash,
          vkeySha256,
          submittedBy: actor.participantId,
        })
        .returning();
      if (nonce !== null) {
        // Claimed under the row lock: of two proofs racing for one nonce, one wins.
        const claimed = await tx
          .update(complianceAuditNonces)
          .set({ proofId: row!.id })
          .where(and(eq(complianceAuditNonces.nonce, nonce), isNull(complianceAuditNonces.proofId)))
          .returning({ nonce: complianceAuditNonces.nonce });
        if (claimed.length === 0) throw replayed('the audit nonce was already used');
      }
      await recordAudit(tx, {
        actor,
        action: 'compliance.proof-verified',
        subjectKind: 'dataset_version',
        subjectId: version.id,
        details: { proofId: row!.id, circuit, recordHash, vkeySha256, statement: row!.statement },
      });
      const payload: RecordComplianceProofPayload = {
        circuit,
        datasetId: dataset.id,
        version: version.version,
        publicSignals: signals,
        proof: solidityProof(toSolidityCalldata(proof, signals)).map(String),
      };
      await enqueueChainWork(tx, COMPLIANCE_RECORD_KIND, row!.id, payload);
      return row!;
    });
  } catch (err) {
    // A concurrent submission of the same proof or statement got there first.
    const constraint = isUniqueViolation(err);
    if (constraint === 'compliance_proofs_proof_hash_key' || constraint === 'compliance_proofs_record_hash_key') {
      throw replayed('this proof, or a proof of the same statement for this version, was already submitted');
    }
    throw err;
  }
}

/** The decoded statement and the proof in snarkjs' shape; INVALID_PROOF when either is malformed. */
function parseSubmission(circuit: VersionCircuit, publicSignals: unknown, proof: unknown) {
  try {
    return { statement: decodePublicSignals(circuit, publicSignals) as Statement<VersionCircuit>, proof: parseProof(proof) };
  } catch (err) {
    if (err instanceof MalformedProofError) throw new AppError('INVALID_PROOF', { message: err.message });
    throw err;
  }
}

/** PROOF_MISMATCH unless the statement is about this version's commitment and declared rules. */
function checkStatement(circuit: VersionCircuit, statement: Statement<VersionCircuit>, target: ComplianceTarget, version: DatasetVersionRow): void {
  const s = statement as Partial<Statement<'rule_chunk'> & Statement<'sampled_audit'> & Statement<'min_group_size'>>;
  if (s.root !== target.root) throw mismatch('the proof is about another commitment (root) than this version’s');
  if (s.rowCount !== target.rowCount) throw mismatch(`the proof is about ${s.rowCount} rows, the version has ${target.rowCount}`);
  if (circuit === 'rule_chunk' || circuit === 'sampled_audit') {
    if (s.rulesHash !== target.rulesHash) throw mismatch('the proof was made under rules other than the version’s declared complianceRules');
  }
  if (circuit === 'min_group_size') {
    // The circuits read the first COMPLIANCE_COLUMNS columns; the rest are folded into restHash.
    const proved = Math.min((version.columns as unknown[]).length, COMPLIANCE_COLUMNS);
    if (s.groupColumn! >= BigInt(proved)) throw mismatch(`group column ${s.groupColumn} is not one of the version's ${proved} proved columns`);
    if (s.k! < BigInt(version.minGroupSize)) throw mismatch(`k = ${s.k} is below the version's minimum group size ${version.minGroupSize}`);
  }
}

/** PROOF_MISMATCH unless the statement names the current positive list, the destination and the version's classification. */
async function checkPositiveList(db: Db, statement: Statement<'positive_list'>, destination: string, version: DatasetVersionRow): Promise<void> {
  const match = matchesCurrentList(await currentPositiveList(db), statement, { destination, classification: version.classification });
  if (!match.ok) throw mismatch(match.reason);
}

/** The nonce, as stored, when the exchange issued it for this version and it is unused. */
async function issuedNonce(db: Db, versionId: string, nonce: bigint): Promise<string> {
  const [issued] = await db
    .select({ proofId: complianceAuditNonces.proofId })
    .from(complianceAuditNonces)
    .where(and(eq(complianceAuditNonces.nonce, nonce.toString()), eq(complianceAuditNonces.versionId, versionId)));
  if (!issued) throw mismatch('the audit nonce was not issued by the exchange for this version; ask for one with requestSampledAudit');
  if (issued.proofId !== null) throw replayed('the audit nonce was already used');
  return nonce.toString();
}
