// 抽样审计: the exchange issues the nonces a sampled audit is proved under, so that the provider
// cannot try nonces until the samples miss its bad rows. The reviewer (operator) picks s, the
// number of samples; the provider may ask for a challenge of at least the s required.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SNARK_SCALAR_FIELD } from '../../../sdk/poseidon.ts';
import { AUDIT_SAMPLES } from '../../../sdk/zk/parameters.ts';
import type { Db } from '../../db/client.ts';
import { complianceAuditChallenges, complianceAuditNonces } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { requiredAuditSamples } from './compliance-coverage.ts';
import { complianceTarget } from './compliance-target.ts';
import { findVersion, type AuditChallengeRow, type AuditNonceRow } from './find-compliance-proofs.ts';

/** At most 4,096 samples (2,048 proofs of the repository's circuit) in one challenge. */
export const MAX_AUDIT_SAMPLES = 4096;

const Input = z.object({
  versionId: z.string(),
  /** s; the operator's choice becomes what the listing check requires. Defaults to the samples required now. */
  samples: z.number().int().min(1).max(MAX_AUDIT_SAMPLES).optional(),
});

/** A uniformly random field element: 254-bit candidates, rejected until one is below the modulus. */
function randomFieldElement(): bigint {
  for (;;) {
    const candidate = BigInt('0x' + randomBytes(32).toString('hex')) >> 2n;
    if (candidate < SNARK_SCALAR_FIELD) return candidate;
  }
}

/**
 * Issues ⌈s / AUDIT_SAMPLES⌉ fresh nonces for a version; each sampled_audit proof under one of
 * them opens AUDIT_SAMPLES rows. The operator sets s for the version; the dataset's provider may
 * ask for a challenge, of at least the s currently required.
 */
export async function requestSampledAudit({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Viewer | null;
  input: z.input<typeof Input>;
}): Promise<AuditChallengeRow & { nonces: AuditNonceRow[] }> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const { versionId, samples } = parseInput(Input, input);
  const { version, dataset } = await findVersion(db, actor, versionId);
  const byReviewer = actsAs(actor, 'operator');
  const isProvider = actsAs(actor, 'provider') && dataset.providerId === actor.participantId;
  if (!byReviewer && !isProvider) throw new AppError('FORBIDDEN');
  complianceTarget(version); // a version without declared rules has nothing to audit
  const required = await requiredAuditSamples(db, version.id);
  const s = samples ?? required;
  if (!byReviewer && s < required) {
    throw new AppError('INVALID_INPUT', { field: 'samples', message: `samples: the reviewer requires at least ${required}` });
  }
  const nonceCount = Math.ceil(s / AUDIT_SAMPLES);
  return db.transaction(async (tx) => {
    const [challenge] = await tx
      .insert(complianceAuditChallenges)
      .values({ datasetId: dataset.id, versionId: version.id, samples: s, requestedBy: actor.participantId, byReviewer })
      .returning();
    const nonces = await tx
      .insert(complianceAuditNonces)
      .values(Array.from({ length: nonceCount }, (_, position) => ({ nonce: randomFieldElement().toString(), challengeId: challenge!.id, versionId: version.id, position })))
      .returning();
    await recordAudit(tx, {
      actor,
      action: 'compliance.audit-requested',
      subjectKind: 'dataset_version',
      subjectId: version.id,
      details: { challengeId: challenge!.id, samples: s, nonces: nonceCount, byReviewer },
    });
    return { ...challenge!, nonces: nonces.sort((a, b) => a.position - b.position) };
  });
}
