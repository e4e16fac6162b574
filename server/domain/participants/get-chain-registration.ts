import { findChainWork } from '../../chain/outbox.ts';
import type { DbHandle } from '../../db/client.ts';
import { REGISTRY_REGISTER } from './review-participant.ts';

export interface ChainRegistration {
  status: 'pending' | 'done' | 'failed';
  txHash: string | null;
  blockNumber: bigint | null;
  attempts: number;
  lastError: string | null;
}

/** Where the participant's admission to the on-chain registry stands (null before approval). */
export async function getChainRegistration({ db, participantId }: { db: DbHandle; participantId: string }): Promise<ChainRegistration | null> {
  const row = await findChainWork(db, REGISTRY_REGISTER, participantId);
  if (!row) return null;
  return { status: row.status, txHash: row.txHash, blockNumber: row.blockNumber, attempts: row.attempts, lastError: row.lastError };
}
