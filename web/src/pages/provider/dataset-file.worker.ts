// Off the page's thread: parse the provider's CSV, check the rows against the edited schema and
// compute the commitment (Poseidon Merkle root) with progress. The rows stay in this worker.
import { catalogCommitmentWithProgress } from '../../../../sdk/catalog-commitment-progress.ts';
import { catalogColumns, inferColumns, parseCsv, renameRows, rowProblem, syntheticSamples, toCsv, type EditableColumn, type FileRow } from './dataset-file.ts';

export type WorkerRequest = { type: 'parse'; text: string } | { type: 'commit'; columns: EditableColumn[] };

export type WorkerAnswer =
  | { type: 'parsed'; header: string[]; columns: EditableColumn[]; rowCount: number; preview: FileRow[] }
  | { type: 'progress'; fraction: number; rowsHashed: number; rowCount: number }
  | { type: 'committed'; root: string; rowCount: number; csv: string; samples: Record<string, string | number | null>[] }
  | { type: 'error'; message: string };

let file: { header: string[]; rows: FileRow[] } | null = null;
const post = (answer: WorkerAnswer) => postMessage(answer);

addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  void (async () => {
    try {
      if (request.type === 'parse') {
        file = parseCsv(request.text);
        post({ type: 'parsed', header: file.header, columns: inferColumns(file.header, file.rows), rowCount: file.rows.length, preview: file.rows.slice(0, 5) });
        return;
      }
      if (!file) throw new Error('no file');
      const rows = renameRows(request.columns, file.rows);
      rows.forEach((row, i) => {
        const problem = rowProblem(request.columns, row);
        if (problem) throw new Error(`row ${i + 1}: ${problem}`);
      });
      let last = 0;
      const { root, rowCount } = await catalogCommitmentWithProgress(catalogColumns(request.columns), rows, {
        sliceRows: 200,
        onProgress: (p) => {
          // Throttle messages: every percent is enough for a progress bar.
          if (p.fraction === 1 || p.fraction - last >= 0.01 || p.fraction === 0) {
            last = p.fraction;
            post({ type: 'progress', ...p });
          }
        },
      });
      post({ type: 'committed', root, rowCount, csv: toCsv(request.columns, rows), samples: syntheticSamples(request.columns, rows) });
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  })();
});
