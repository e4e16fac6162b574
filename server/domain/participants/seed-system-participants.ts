// The first start of an installation creates the operator and the regulator (and, for the
// embedded demo, one provider and one buyer), verified, with a key each. Runs once.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { enqueueChainWork } from '../../chain/outbox.ts';
import type { RegisterParticipantPayload } from '../../chain/registry.ts';
import type { Db } from '../../db/client.ts';
import { apiKeys, participants, systemState } from '../../db/schema.ts';
import { creditCodeCheckChar, orgCodeCheckChar } from './credit-code.ts';
import { newApiKeySecret } from './api-key-secret.ts';
import { derivedChainAddress, profileHash } from './participant-input.ts';
import { REGISTRY_REGISTER } from './review-participant.ts';
import type { Role } from './roles.ts';

const SEED_KEY = 'seed.system-participants';

export interface SeededKey {
  participantId: string;
  name: string;
  roles: Role[];
  token: string;
}

interface SeedSpec {
  name: string;
  roles: Role[];
  /** 8 characters of organisation code body; check characters are computed. */
  orgCode: string;
  demo: boolean;
}

const SPECS: SeedSpec[] = [
  { name: '数据交易所运营方 Exchange Operator', roles: ['operator'], orgCode: 'MA01EXPT', demo: false },
  { name: '数据交易监管机构 Data Market Regulator', roles: ['regulator'], orgCode: 'MA01REGU', demo: false },
  { name: '示例数据提供方 Demo Provider Co.', roles: ['provider'], orgCode: 'MA01PRDR', demo: true },
  { name: '示例数据需求方 Demo Buyer Co.', roles: ['buyer'], orgCode: 'MA01BUYR', demo: true },
];

/** A valid 统一社会信用代码 in Beijing (110000) for a fixed organisation-code body. */
export function seedCreditCode(orgCodeBody: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{8}$/.test(orgCodeBody)) throw new Error(`not an organisation code body: ${orgCodeBody}`);
  const orgCode = orgCodeBody + orgCodeCheckChar(orgCodeBody);
  const first17 = '91110000' + orgCode;
  return first17 + creditCodeCheckChar(first17);
}

/**
 * Seeds once per database; returns the keys created (empty when seeded before). The operator
 * is bound to the chain signer, which the registry contract already holds as operator.
 */
export async function seedSystemParticipants({
  db,
  operatorAddress,
  includeDemo,
  beforeCommit,
}: {
  db: Db;
  operatorAddress: string;
  includeDemo: boolean;
  /**
   * Given the new keys before the seed commits: the keys exist only in this process until then,
   * so a crash after the commit but before they were saved would lose them for good. A crash
   * before the commit leaves a saved file for keys that never existed; the next start seeds again.
   */
  beforeCommit?: (keys: SeededKey[]) => void;
}): Promise<SeededKey[]> {
  return db.transaction(async (tx) => {
    const [done] = await tx.select().from(systemState).where(eq(systemState.key, SEED_KEY));
    if (done) return [];
    const keys: SeededKey[] = [];
    for (const spec of SPECS.filter((s) => includeDemo || !s.demo)) {
      const id = randomUUID();
      const isOperator = spec.roles.includes('operator');
      const row = {
        id,
        name: spec.name,
        jurisdiction: 'CN',
        registrationScheme: 'uscc' as const,
        registrationCode: seedCreditCode(spec.orgCode),
        roles: spec.roles,
        chainAddress: isOperator ? operatorAddress : derivedChainAddress(id),
        status: 'verified' as const,
        verifiedAt: new Date(),
        statusReason: 'seeded at installation',
      };
      await tx.insert(participants).values(row);
      const key = newApiKeySecret();
      await tx.insert(apiKeys).values({
        participantId: id,
        prefix: key.prefix,
        secretHash: key.secretHash,
        label: 'seeded key',
        scopes: ['read', ...spec.roles],
      });
      if (!isOperator) {
        const payload: RegisterParticipantPayload = {
          participantId: id,
          account: row.chainAddress,
          profileHash: profileHash(row),
          roles: spec.roles,
        };
        await enqueueChainWork(tx, REGISTRY_REGISTER, id, payload);
      }
      keys.push({ participantId: id, name: spec.name, roles: spec.roles, token: key.token });
    }
    await tx.insert(systemState).values({ key: SEED_KEY, value: { at: new Date().toISOString(), participants: keys.map((k) => k.participantId) } });
    beforeCommit?.(keys);
    return keys;
  });
}
