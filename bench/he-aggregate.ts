// The private group aggregate's costs (count and sum over the selected groups), buyer and server
// in one process: key generation, encryption, evaluation and decryption (median of a few runs)
// and the bytes that travel.
// Standalone: node --import tsx bench/he-aggregate.ts
import { pathToFileURL } from 'node:url';
import { decodeBase64 } from '../sdk/he/encoding.ts';
import { generateKeySet } from '../sdk/he/key-set.ts';
import { decryptGroupAggregate, encryptGroupSelection } from '../sdk/he/private-aggregate.ts';
import { getHeContext } from '../server/privacy/he/context.ts';
import { evaluateGroupAggregate } from '../server/privacy/he/evaluate-group-aggregate.ts';
import { printReport, type Figure } from './report.ts';

const RUNS = 5;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const bytes = (b64: string) => decodeBase64(b64)!.length;

async function measure(groupCount: number) {
  const times = { keygen: [] as number[], encrypt: [] as number[], evaluate: [] as number[], decrypt: [] as number[] };
  const groups = Array.from({ length: groupCount }, (_, group) => ({ rows: 10 + group, sum: BigInt(group + 1) * 1_000n }));
  const selected = Array.from({ length: groupCount }, (_, group) => group).filter((group) => group % 2 === 0);
  const expected = selected.reduce((sum, group) => sum + groups[group]!.sum, 0n);
  let sizes = { galoisKeys: 0, bundle: 0, selection: 0, result: 0 };
  for (let run = 0; run < RUNS; run++) {
    const { value: keySet, ms: keygenMs } = await timed(() => generateKeySet({ scheme: 'bfv', groupCapacity: groupCount }));
    const encrypt = await timed(() => encryptGroupSelection(keySet, groupCount, selected));
    const bundle = keySet.publicBundle();
    const evaluate = await timed(() =>
      evaluateGroupAggregate({ keys: bundle, query: encrypt.value, groups, policy: { kThreshold: 1, selection: 'subset' } }),
    );
    const decrypt = await timed(() => decryptGroupAggregate(keySet, evaluate.value));
    if (decrypt.value.sum !== expected) throw new Error(`wrong aggregate for ${groupCount} groups`);
    times.keygen.push(keygenMs);
    times.encrypt.push(encrypt.ms);
    times.evaluate.push(evaluate.ms);
    times.decrypt.push(decrypt.ms);
    sizes = {
      galoisKeys: bytes(bundle.galoisKeys),
      bundle: bytes(bundle.publicKey) + bytes(bundle.relinKeys) + bytes(bundle.galoisKeys),
      selection: bytes(encrypt.value.selection),
      result: bytes(evaluate.value.ciphertext),
    };
  }
  return {
    keygen: median(times.keygen),
    encrypt: median(times.encrypt),
    evaluate: median(times.evaluate),
    decrypt: median(times.decrypt),
    ...sizes,
  };
}

export async function benchHeAggregate(): Promise<Figure[]> {
  const { bfv } = await getHeContext();
  await generateKeySet({ scheme: 'bfv', groupCapacity: 2 }); // warm the buyer's runtime too
  const g64 = await measure(64);
  const full = await measure(bfv.rowSize);
  const runs = `median of ${RUNS}`;
  return [
    { name: 'heKeygen64Ms', value: g64.keygen, unit: 'ms', note: `BFV key set with Galois keys for 64 groups, ${runs}` },
    { name: 'heEncryptSelectionMs', value: g64.encrypt, unit: 'ms', note: runs },
    { name: 'heEvaluate64Ms', value: g64.evaluate, unit: 'ms', note: `count and sum over 64 groups, keys loaded each time, ${runs}` },
    {
      name: `heEvaluate${bfv.rowSize}Ms`,
      value: full.evaluate,
      unit: 'ms',
      comparison: { name: 'heEvaluate64Ms', value: g64.evaluate },
      note: `a full batch row of ${bfv.rowSize} groups (13 rotations)`,
    },
    { name: 'heDecryptMs', value: g64.decrypt, unit: 'ms', note: runs },
    { name: 'heKeyBundle64Bytes', value: g64.bundle, unit: 'B', note: `public + relin + Galois keys (Galois ${g64.galoisKeys} B), zstd` },
    { name: `heKeyBundle${bfv.rowSize}Bytes`, value: full.bundle, unit: 'B', note: `Galois ${full.galoisKeys} B` },
    { name: 'heSelectionBytes', value: g64.selection, unit: 'B', note: 'seeded symmetric ciphertext, zstd' },
    { name: 'heResultBytes', value: g64.result, unit: 'B', note: 'switched down to 2 primes, zstd' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReport(await benchHeAggregate());
}
