// Blocks of a parallel dataset commitment (parallel-commitment.ts), one message each: encode the
// rows under the schema, hash them, and hash the block's subtree. Runs on a worker thread, loaded
// with tsx.
import { parentPort } from 'node:worker_threads';
import { encodeRow, rowHash, type DatasetRow, type DatasetSchema, type EncodedRow } from './dataset-schema.ts';
import { subtreeLevels } from './merkle-tree.ts';

export interface CommitmentBlockRequest {
  schema: DatasetSchema;
  rows: DatasetRow[];
  /** The index of the block's first row in the dataset, for error messages. */
  offset: number;
  height: number;
}

export type CommitmentBlockReply = { encoded: EncodedRow[]; levels: bigint[][] } | { error: string; name: string };

function commitBlock({ schema, rows, offset, height }: CommitmentBlockRequest): CommitmentBlockReply {
  try {
    const encoded = rows.map((row, i) => {
      try {
        return encodeRow(schema, row);
      } catch (err) {
        (err as Error).message = `row ${offset + i + 1}: ${(err as Error).message}`;
        throw err;
      }
    });
    return { encoded, levels: subtreeLevels(encoded.map(rowHash), height) };
  } catch (err) {
    return { error: (err as Error).message, name: (err as Error).name };
  }
}

parentPort!.on('message', (request: CommitmentBlockRequest) => parentPort!.postMessage(commitBlock(request)));
