// What a compliance proof about a dataset version must state: the version's commitment (root,
// rowCount) and the rulesHash of the rules the version declares, recomputed here with the sdk's
// own encoding. A proof's public signals are held against this; never the other way round.
import { commitmentSchema } from '../../../sdk/catalog-commitment.ts';
import { encodeRules, rulesHash, type DeclaredRules } from '../../../sdk/zk/rules.ts';
import type { DatasetVersionRow } from '../catalog/listing-transition.ts';
import type { Column } from '../catalog/dataset-input.ts';
import { AppError } from '../errors.ts';

/**
 * The circuits a provider submits proofs of, about a dataset version. positive_list is about the
 * version's classification and a destination, not its rows: it needs no declared rules.
 */
export const VERSION_CIRCUITS = ['rule_chunk', 'sampled_audit', 'min_group_size', 'positive_list'] as const;
export type VersionCircuit = (typeof VERSION_CIRCUITS)[number];

export const COMPLIANCE_RECORD_KIND = 'compliance.record';

export interface ComplianceTarget {
  root: bigint;
  rowCount: bigint;
  rulesHash: bigint;
}

/**
 * The statement the version's rule proofs must make. INVALID_STATE when the version declares no
 * rules (a proof under no rules proves nothing) or its schema cannot be encoded for the circuits.
 */
export function complianceTarget(version: DatasetVersionRow): ComplianceTarget {
  if (!version.complianceRules) {
    throw new AppError('INVALID_STATE', { message: 'the version declares no compliance rules; revise it with complianceRules to prove them' });
  }
  let hash: bigint;
  try {
    hash = rulesHash(encodeRules(commitmentSchema(version.columns as Column[]), version.complianceRules as DeclaredRules));
  } catch (err) {
    throw new AppError('INVALID_STATE', { message: `the version's schema or rules cannot be proved: ${(err as Error).message}` });
  }
  return { root: BigInt(version.commitment), rowCount: BigInt(version.rowCount), rulesHash: hash };
}
