// The exchange's one writer to the chain. Every transaction is signed here, written to the
// chain journal before it is broadcast, and sent one at a time so nonces never collide.
import { setTimeout as sleep } from 'node:timers/promises';
import { and, asc, eq, ne } from 'drizzle-orm';
import {
  BrowserProvider,
  Contract,
  JsonRpcProvider,
  Transaction,
  Wallet,
  type AbstractProvider,
  type Eip1193Provider,
  type InterfaceAbi,
  type TransactionReceipt,
  type TransactionRequest,
  type TransactionResponse,
} from 'ethers';
import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import { chainJournal } from '../db/schema.ts';
import { startEmbeddedChain, EMBEDDED_OPERATOR_KEY, type EmbeddedChain } from './embedded.ts';

export type ChainTarget =
  | { kind: 'embedded'; projectRoot: string }
  | { kind: 'rpc'; url: string; signerKey: string; confirmations: number }
  /** The regulator's node (docs/regulator-node.md): reads contracts, holds no key, sends nothing. */
  | { kind: 'rpc-readonly'; url: string };

/** A transaction the chain refused (a revert), with the contract's custom error when known. */
export class ChainRevertError extends Error {
  constructor(
    message: string,
    readonly errorName: string | null,
    readonly errorArgs: unknown[],
  ) {
    super(message);
    this.name = 'ChainRevertError';
  }
}

/** An external node accepted a transaction and then forgot it without mining it. */
export class ChainTransactionDroppedError extends Error {
  constructor(readonly txHash: string) {
    super(`transaction ${txHash} was dropped by the node before it was mined`);
    this.name = 'ChainTransactionDroppedError';
  }
}

const RECEIPT_TIMEOUT_MS = 120_000;
const DROP_CHECK_INTERVAL_MS = 1_000;

export class ChainClient {
  readonly provider: AbstractProvider;
  /** Null on a read-only connection: contracts are then read through the provider alone. */
  readonly signer: Wallet | null;
  readonly chainId: bigint;
  readonly embedded: boolean;
  private readonly db: Db;
  private readonly log: Logger;
  private readonly confirmations: number;
  private readonly onClose: () => Promise<void>;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(args: {
    provider: AbstractProvider;
    signer: Wallet | null;
    chainId: bigint;
    embedded: boolean;
    db: Db;
    log: Logger;
    confirmations: number;
    onClose: () => Promise<void>;
  }) {
    this.provider = args.provider;
    this.signer = args.signer;
    this.chainId = args.chainId;
    this.embedded = args.embedded;
    this.db = args.db;
    this.log = args.log;
    this.confirmations = args.confirmations;
    this.onClose = args.onClose;
  }

  /** Connects to the configured chain; the embedded one is started and rebuilt from the journal. */
  static async open(target: ChainTarget, db: Db, log: Logger): Promise<ChainClient> {
    if (target.kind === 'embedded') {
      const chain: EmbeddedChain = await startEmbeddedChain(target.projectRoot);
      const provider = new BrowserProvider(chain.provider as Eip1193Provider, undefined, { pollingInterval: 50, cacheTimeout: -1 });
      const { chainId } = await provider.getNetwork();
      const client = new ChainClient({
        provider,
        signer: new Wallet(EMBEDDED_OPERATOR_KEY, provider),
        chainId,
        embedded: true,
        db,
        log,
        confirmations: 1,
        onClose: async () => {
          provider.destroy();
          await chain.close();
        },
      });
      await client.replayJournal();
      return client;
    }
    // No response cache (ethers keeps identical calls for 250 ms by default): a cached
    // eth_getTransactionCount would sign the next transaction with a nonce already used.
    const provider = new JsonRpcProvider(target.url, undefined, { staticNetwork: false, pollingInterval: 1000, cacheTimeout: -1 });
    const { chainId } = await withTimeout(provider.getNetwork(), 15_000, `chain at ${target.url} did not answer`);
    const readOnly = target.kind === 'rpc-readonly';
    const client = new ChainClient({
      provider,
      signer: readOnly ? null : new Wallet(target.signerKey, provider),
      chainId,
      embedded: false,
      db,
      log,
      confirmations: readOnly ? 0 : target.confirmations,
      onClose: async () => provider.destroy(),
    });
    // The journal is the primary's: only its signer may re-send what it signed.
    if (!readOnly) await client.rebroadcastUnmined();
    return client;
  }

  get readOnly(): boolean {
    return this.signer === null;
  }

  /** The operator's address; a read-only connection has none. */
  get operatorAddress(): string {
    return this.writer.address;
  }

  private get writer(): Wallet {
    if (!this.signer) throw new Error('this chain connection is read-only (regulator-readonly mode): it signs nothing');
    return this.signer;
  }

  contract(address: string, abi: InterfaceAbi): Contract {
    return new Contract(address, abi, this.signer ?? this.provider);
  }

  async blockNumber(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  /**
   * Signs and sends one transaction, journalled before broadcast, and waits for its receipt.
   * A transaction that would revert is refused before anything is signed.
   */
  send(request: TransactionRequest, purpose: string, abi?: InterfaceAbi): Promise<TransactionReceipt> {
    const run = this.queue.then(() => this.sendNow(request, purpose, abi));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async sendNow(request: TransactionRequest, purpose: string, abi?: InterfaceAbi): Promise<TransactionReceipt> {
    let gasLimit: bigint;
    try {
      gasLimit = await this.writer.estimateGas(request);
    } catch (err) {
      throw toRevertError(err, abi);
    }
    const populated = await this.writer.populateTransaction({ ...request, gasLimit: (gasLimit * 12n) / 10n + 10_000n });
    const raw = await this.writer.signTransaction(populated);
    const txHash = Transaction.from(raw).hash!;
    const blockTimestamp = this.embedded ? await this.nextBlockTimestamp() : 0n;
    await this.db
      .insert(chainJournal)
      .values({ chainId: this.chainId, txHash, rawTx: raw, nonce: Number(populated.nonce), purpose, blockTimestamp })
      // The very same transaction again (same nonce, fees and data) after an earlier copy was
      // dropped by the node: one journal row, in flight again.
      .onConflictDoUpdate({ target: chainJournal.txHash, set: { status: 'sent', purpose, blockTimestamp, blockNumber: null } });
    let response;
    try {
      if (this.embedded) await this.rpc('evm_setNextBlockTimestamp', [toQuantity(blockTimestamp)]);
      response = await this.provider.broadcastTransaction(raw);
    } catch (err) {
      const row = and(eq(chainJournal.chainId, this.chainId), eq(chainJournal.txHash, txHash));
      if (isTransportError(err)) {
        // No answer (timeout, connection lost): the node may still have it. Keep the row, marked
        // as not known to be mined; a later send of the same transaction puts it in flight again.
        await this.db.update(chainJournal).set({ status: 'dropped' }).where(row);
      } else {
        // The node refused it outright: it never existed, so it leaves no trace.
        await this.db.delete(chainJournal).where(row);
      }
      throw err;
    }
    let receipt: TransactionReceipt | null;
    try {
      receipt = await this.waitForReceipt(response);
    } catch (err) {
      if (err instanceof ChainTransactionDroppedError) {
        await this.db.update(chainJournal).set({ status: 'dropped' }).where(and(eq(chainJournal.chainId, this.chainId), eq(chainJournal.txHash, txHash)));
      }
      throw err;
    }
    if (!receipt) throw new Error(`transaction ${txHash} was not mined`);
    await this.recordReceipt(txHash, receipt);
    if (receipt.status !== 1) throw new ChainRevertError(`transaction ${txHash} (${purpose}) reverted`, null, []);
    return receipt;
  }

  /**
   * The receipt, or an error when the node no longer knows the transaction: an external node
   * may drop what it accepted (evicted from its pool, restarted), and waiting out the timeout
   * would hold every later transaction behind it. The caller's retry sends it again.
   */
  private async waitForReceipt(response: TransactionResponse): Promise<TransactionReceipt | null> {
    // ethers throws on a reverted receipt; the caller records it and raises its own error.
    const mined = response.wait(this.confirmations, RECEIPT_TIMEOUT_MS).catch((err: { code?: string; receipt?: TransactionReceipt }) => {
      if (err?.code === 'CALL_EXCEPTION' && err.receipt) return err.receipt;
      throw err;
    });
    if (this.embedded) return mined;
    let settled = false;
    const dropped = (async () => {
      let unknownTimes = 0;
      while (!settled) {
        await sleep(DROP_CHECK_INTERVAL_MS);
        if (settled) return;
        // An unreachable node says nothing about the transaction: only a "no such transaction" counts.
        const seen = await this.provider.getTransaction(response.hash).then(Boolean, () => true);
        unknownTimes = seen ? 0 : unknownTimes + 1;
        // Twice in a row, in case the node answers before it has indexed its own pool.
        if (unknownTimes >= 2 && !settled) throw new ChainTransactionDroppedError(response.hash);
      }
    })();
    try {
      return await Promise.race([mined, dropped.then(() => mined)]);
    } finally {
      settled = true;
      mined.catch(() => undefined);
    }
  }

  private async recordReceipt(txHash: string, receipt: TransactionReceipt): Promise<void> {
    const block = this.embedded ? null : await this.provider.getBlock(receipt.blockNumber);
    await this.db
      .update(chainJournal)
      .set({
        status: receipt.status === 1 ? 'mined' : 'reverted',
        blockNumber: BigInt(receipt.blockNumber),
        ...(block ? { blockTimestamp: BigInt(block.timestamp) } : {}),
      })
      .where(and(eq(chainJournal.chainId, this.chainId), eq(chainJournal.txHash, txHash)));
  }

  /**
   * The wall clock's second, recorded so that a replay reproduces it; never before the latest
   * block (blocks may share a second: allowBlocksWithSameTimestamp in embedded.ts), so a burst of
   * transactions does not run the chain's clock ahead of the wall clock.
   */
  private async nextBlockTimestamp(): Promise<bigint> {
    const latest = BigInt((await this.provider.getBlock('latest'))?.timestamp ?? 0);
    const now = BigInt(Math.floor(Date.now() / 1000));
    return now > latest ? now : latest;
  }

  /**
   * The embedded chain starts empty at every start. Re-sending the journal's raw
   * transactions at their recorded timestamps rebuilds it exactly: the same hashes, blocks,
   * contract addresses and state, so what was anchored still verifies.
   */
  private async replayJournal(): Promise<void> {
    const rows = await this.db
      .select()
      .from(chainJournal)
      // A dropped transaction was never mined, so it is not part of the chain.
      .where(and(eq(chainJournal.chainId, this.chainId), ne(chainJournal.status, 'dropped')))
      .orderBy(asc(chainJournal.seq));
    if (rows.length === 0) return;
    const started = Date.now();
    for (const row of rows) {
      await this.rpc('evm_setNextBlockTimestamp', [toQuantity(row.blockTimestamp)]);
      const hash = (await this.rpc('eth_sendRawTransaction', [row.rawTx])) as string;
      if (hash !== row.txHash) throw new Error(`chain journal replay diverged at seq ${row.seq}: ${hash} != ${row.txHash}`);
      const receipt = await this.provider.getTransactionReceipt(hash);
      if (!receipt) throw new Error(`chain journal replay: ${hash} was not mined`);
      if (row.blockNumber !== null && BigInt(receipt.blockNumber) !== row.blockNumber) {
        throw new Error(`chain journal replay diverged at seq ${row.seq}: block ${receipt.blockNumber} != ${row.blockNumber}`);
      }
      if (row.status === 'sent') await this.recordReceipt(hash, receipt);
    }
    this.log.info({ transactions: rows.length, ms: Date.now() - started }, 'embedded chain rebuilt from the journal');
  }

  /** After a crash, a transaction journalled but never seen by an external node is sent again. */
  private async rebroadcastUnmined(): Promise<void> {
    const rows = await this.db
      .select()
      .from(chainJournal)
      .where(and(eq(chainJournal.chainId, this.chainId), eq(chainJournal.status, 'sent')))
      .orderBy(asc(chainJournal.seq));
    for (const row of rows) {
      const receipt = await this.provider.getTransactionReceipt(row.txHash);
      if (receipt) {
        await this.recordReceipt(row.txHash, receipt);
        continue;
      }
      try {
        await this.provider.broadcastTransaction(row.rawTx);
        this.log.warn({ txHash: row.txHash }, 're-sent a journalled transaction');
      } catch (err) {
        this.log.warn({ txHash: row.txHash, err: (err as Error).message }, 'journalled transaction could not be re-sent');
      }
    }
  }

  private rpc(method: string, params: unknown[]): Promise<unknown> {
    return (this.provider as BrowserProvider | JsonRpcProvider).send(method, params);
  }

  async close(): Promise<void> {
    await this.queue;
    await this.onClose();
  }
}

function toQuantity(n: bigint): string {
  return '0x' + n.toString(16);
}

function toRevertError(err: unknown, abi?: InterfaceAbi): Error {
  const e = err as { code?: string; data?: string; revert?: { name: string; args: unknown[] }; shortMessage?: string };
  if (e?.code !== 'CALL_EXCEPTION') return err as Error;
  if (e.revert) return new ChainRevertError(e.shortMessage ?? 'reverted', e.revert.name, [...e.revert.args]);
  if (abi && e.data) {
    try {
      const parsed = new Contract('0x0000000000000000000000000000000000000000', abi).interface.parseError(e.data);
      if (parsed) return new ChainRevertError(`reverted with ${parsed.name}`, parsed.name, [...parsed.args]);
    } catch {
      // fall through: unknown error data
    }
  }
  return new ChainRevertError(e.shortMessage ?? 'reverted', null, []);
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** An error of the connection to the node rather than an answer from it (ethers' error codes). */
function isTransportError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'TIMEOUT' || code === 'NETWORK_ERROR' || code === 'SERVER_ERROR' || code === 'ECONNREFUSED' || code === 'ECONNRESET';
}
