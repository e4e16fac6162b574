// commitDataset on every core (Node): the rows are cut into aligned blocks of 2^h, one per
// worker thread, each of which encodes and hashes its rows and hashes its block's subtree; the
// main thread joins the subtrees and hashes the few levels above them. The same commitment and
// tree as commitDataset — only faster, by about the number of cores, for the provider's large
// files (a million rows cost ~16 min on one core: docs/zk-compliance.md).
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CommitmentBlockReply, CommitmentBlockRequest } from './commitment-worker.ts';
import { commitDataset, MAX_DATASET_ROWS, type CommittedDataset } from './dataset-commitment.ts';
import { CellEncodingError, checkSchema, type DatasetRow, type DatasetSchema, type EncodedRow } from './dataset-schema.ts';
import { FixedMerkleTree } from './merkle-tree.ts';
import { DATASET_TREE_DEPTH } from './parameters.ts';

const WORKER_URL = new URL('./commitment-worker.ts', import.meta.url);

/** Below this many rows starting threads costs more than it saves. */
const MIN_PARALLEL_ROWS = 2_048;
const BLOCKS_PER_THREAD = 8;

export async function commitDatasetInParallel(
  schema: DatasetSchema,
  rows: readonly DatasetRow[],
  threads: number = os.availableParallelism(),
): Promise<CommittedDataset> {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  checkSchema(schema);
  if (threads === 1 || rows.length < MIN_PARALLEL_ROWS) return commitDataset(schema, rows);
  if (rows.length > MAX_DATASET_ROWS) throw new RangeError(`a committed dataset has at most ${MAX_DATASET_ROWS} rows`);

  // Aligned blocks of 2^height rows, about eight per thread so that the threads, taking the
  // next block as they finish one, end together however the last block falls.
  const height = Math.max(0, Math.ceil(Math.log2(Math.ceil(rows.length / (threads * BLOCKS_PER_THREAD)))));
  const block = 2 ** height;
  const blocks: CommitmentBlockRequest[] = [];
  for (let offset = 0; offset < rows.length; offset += block) {
    blocks.push({ schema, rows: rows.slice(offset, offset + block), offset, height });
  }
  const replies = await runBlocks(blocks, Math.min(threads, blocks.length));
  const encoded: EncodedRow[] = replies.flatMap((r) => r.encoded);
  const tree = FixedMerkleTree.fromSubtrees(DATASET_TREE_DEPTH, height, replies.map((r) => r.levels));
  return { root: tree.root, rowCount: rows.length, rows: encoded, tree };
}

type BlockResult = { encoded: EncodedRow[]; levels: bigint[][] };

/** The blocks' results in order, computed by `threads` workers that each take the next block when free. */
async function runBlocks(blocks: readonly CommitmentBlockRequest[], threads: number): Promise<BlockResult[]> {
  const results: BlockResult[] = new Array(blocks.length);
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_URL, { execArgv: ['--import', 'tsx'], name: 'commitment-worker' }));
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < blocks.length) {
          const index = next++;
          results[index] = await commitBlock(worker, blocks[index]!);
        }
      }),
    );
    return results;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function commitBlock(worker: Worker, request: CommitmentBlockRequest): Promise<BlockResult> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => done(() => reject(err));
    const onExit = (code: number) => done(() => reject(new Error(`a commitment worker exited with code ${code} before answering`)));
    const onMessage = (reply: CommitmentBlockReply) =>
      done(() => ('error' in reply ? reject(reply.name === 'CellEncodingError' ? new CellEncodingError(reply.error) : new Error(reply.error)) : resolve(reply)));
    const done = (settle: () => void) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      settle();
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(request);
  });
}
