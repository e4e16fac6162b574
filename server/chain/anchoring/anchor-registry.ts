// Binding for AnchorRegistry.sol: anchors a sealed batch's root once, and answers what the
// chain holds for a batch. Its outbox handler is what the anchoring worker delivers.
import type { Contract, InterfaceAbi } from 'ethers';
import type { Db } from '../../db/client.ts';
import { ChainRevertError, type ChainClient } from '../client.ts';
import type { OutboxHandler } from '../outbox.ts';
import { markBatchAnchored } from './mark-batch-anchored.ts';
import { ANCHOR_BATCH_KIND, type AnchorBatchPayload } from './seal-pending-records.ts';

const ZERO_ROOT = '0x' + '00'.repeat(32);

/** A batch's uuid as the contract's bytes32 batch id (hex digits left-aligned, zero-padded). */
export function batchIdToBytes32(batchId: string): string {
  const hex = batchId.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a batch uuid: ${batchId}`);
  return '0x' + hex.toLowerCase().padEnd(64, '0');
}

export interface AnchorTransaction {
  txHash: string;
  blockNumber: number;
}

export class AnchorRegistry {
  readonly contract: Contract;

  constructor(
    private readonly client: ChainClient,
    readonly address: string,
    private readonly abi: InterfaceAbi,
    private readonly db: Db,
  ) {
    this.contract = client.contract(address, abi);
  }

  /**
   * Anchors a batch's root. Idempotent: when the chain already holds this root for the batch
   * nothing is sent and the result is null. A different root under the same batch id means
   * the database and the chain disagree, which no retry can mend, so it throws.
   */
  async anchorBatch(batch: AnchorBatchPayload): Promise<AnchorTransaction | null> {
    if (await this.holds(batch)) return null;
    const data = this.contract.interface.encodeFunctionData('anchor', [batchIdToBytes32(batch.batchId), batch.root, batch.recordCount]);
    try {
      const receipt = await this.client.send({ to: this.address, data }, `${ANCHOR_BATCH_KIND} ${batch.batchId}`, this.abi);
      return { txHash: receipt.hash, blockNumber: receipt.blockNumber };
    } catch (err) {
      // Another delivery of the same batch won the race between our check and our send.
      if (err instanceof ChainRevertError && err.errorName === 'AnchorAlreadyExists' && (await this.holds(batch))) return null;
      throw err;
    }
  }

  /** The root the chain holds for the batch, or null when it holds none. */
  async rootOf(batchId: string): Promise<string | null> {
    const root: string = await this.contract.getFunction('rootOf').staticCall(batchIdToBytes32(batchId));
    return root === ZERO_ROOT ? null : root;
  }

  /** How many records the chain says the batch holds (0 when it holds no anchor for it). */
  async recordCountOf(batchId: string): Promise<number> {
    const count: bigint = await this.contract.getFunction('recordCountOf').staticCall(batchIdToBytes32(batchId));
    return Number(count);
  }

  /** When the batch was anchored, or null when it was not. */
  async anchoredAt(batchId: string): Promise<{ timestamp: Date; blockNumber: number } | null> {
    const [timestamp, blockNumber]: [bigint, bigint] = await this.contract.getFunction('anchoredAt').staticCall(batchIdToBytes32(batchId));
    return blockNumber === 0n ? null : { timestamp: new Date(Number(timestamp) * 1000), blockNumber: Number(blockNumber) };
  }

  /** The contract's own check of a record's proof against the batch's anchored root. */
  async verify(batchId: string, leaf: string, proof: string[]): Promise<boolean> {
    return this.contract.getFunction('verify').staticCall(batchIdToBytes32(batchId), leaf, proof);
  }

  /** The transaction that anchored the batch, found from its BatchAnchored event. */
  async findAnchorTransaction(batchId: string): Promise<AnchorTransaction | null> {
    const at = await this.anchoredAt(batchId);
    if (!at) return null;
    const events = await this.contract.queryFilter(this.contract.getEvent('BatchAnchored')(batchIdToBytes32(batchId)), at.blockNumber, at.blockNumber);
    const event = events[0];
    return event ? { txHash: event.transactionHash, blockNumber: event.blockNumber } : null;
  }

  outboxHandlers(): Record<string, OutboxHandler> {
    return {
      [ANCHOR_BATCH_KIND]: async (payload) => {
        const batch = payload as AnchorBatchPayload;
        const sent = await this.anchorBatch(batch);
        const at = await this.anchoredAt(batch.batchId);
        // Already on chain (a retry after a crash, or a second delivery): the transaction is
        // the one its BatchAnchored event names.
        const tx = sent ?? (await this.findAnchorTransaction(batch.batchId));
        await markBatchAnchored(this.db, { batchId: batch.batchId, transaction: tx, anchoredAt: at?.timestamp ?? new Date() });
        return sent;
      },
    };
  }

  private async holds(batch: AnchorBatchPayload): Promise<boolean> {
    const onChain = await this.rootOf(batch.batchId);
    if (onChain === null) return false;
    if (onChain.toLowerCase() !== batch.root.toLowerCase()) {
      throw new Error(`batch ${batch.batchId} is anchored with root ${onChain}, not ${batch.root}: the database and the chain disagree`);
    }
    return true;
  }
}
