// The private group aggregate's costs, buyer and server in one process: key generation,
// encryption, evaluation and decryption (median of a few runs) and the bytes that travel.
// Standalone: node --import tsx bench/he-aggregate.ts
import { pathToFileURL } from 'node:url';
import { decodeBase64 } from '../sdk/he/encoding.ts';
import { generateKeySet } from '../sdk/he/key-set.ts';
import { decryptAggregate, encryptSelection } from '../sdk/he/private-aggregate.ts';
import { getHeContext } from '../server/privacy/he/context.ts';
import { evaluateGroupAggregate } from '../server/privacy/he/evaluate.ts';
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

async function measure(groups: number) {
  const times = { keygen: [] as number[], encrypt: [] as number[], evaluate: [] as number[], decrypt: [] as number[] };
  const totals = Array.from({ length: groups }, (_, group) => BigInt(group + 1) * 1_000n);
  const selected = Array.from({ length: groups }, (_, group) => group).filter((group) => group % 2 === 0);
  const expected = selected.reduce((sum, group) => sum + totals[group]!, 0n);
  let sizes = { galoisKeys: 0, bundle: 0, selection: 0, result: 0 };
  for (let run = 0; run < RUNS; run++) {
    const { value: keySet, ms: keygenMs } = await timed(() => generateKeySet({ scheme: 'bfv', groupCapacity: groups }));
    const encrypt = await timed(() => encryptSelection(keySet, groups, selected));
    const bundle = keySet.publicBundle();
    const evaluate = await timed(() =>
      evaluateGroupAggregate({ keys: bundle, selection: encrypt.value, groupTotals: totals }),
    );
    const decrypt = await timed(() => decryptAggregate(keySet, evaluate.value));
    if (decrypt.value !== expected) throw new Error(`wrong aggregate for ${groups} groups`);
    times.keygen.push(keygenMs);
    times.encrypt.push(encrypt.ms);
    times.evaluate.push(evaluate.ms);
    times.decrypt.push(decrypt.ms);
    sizes = {
      galoisKeys: bytes(bundle.galoisKeys),
      bundle: bytes(bundle.publicKey) + bytes(bundle.relinKeys) + bytes(bundle.galoisKeys),
      selection: bytes(encrypt.value),
      result: bytes(evaluate.value),
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
  const full = await measure(bfv.slots);
  const runs = `median of ${RUNS}`;
  return [
    { name: 'heKeygen64Ms', value: g64.keygen, unit: 'ms', note: `BFV key set with Galois keys for 64 groups, ${runs}` },
    { name: 'heEncryptSelectionMs', value: g64.encrypt, unit: 'ms', note: runs },
    { name: 'heEvaluate64Ms', value: g64.evaluate, unit: 'ms', note: `private group aggregate, 64 groups, ${runs}` },
    {
      name: `heEvaluate${bfv.slots}Ms`,
      value: full.evaluate,
      unit: 'ms',
      comparison: { name: 'heEvaluate64Ms', value: g64.evaluate },
      note: `all ${bfv.slots} slots (13 rotations)`,
    },
    { name: 'heDecryptMs', value: g64.decrypt, unit: 'ms', note: runs },
    { name: 'heKeyBundle64Bytes', value: g64.bundle, unit: 'B', note: `public + relin + Galois keys (Galois ${g64.galoisKeys} B), zstd` },
    { name: `heKeyBundle${bfv.slots}Bytes`, value: full.bundle, unit: 'B', note: `Galois ${full.galoisKeys} B` },
    { name: 'heSelectionBytes', value: g64.selection, unit: 'B', note: 'seeded symmetric ciphertext, zstd' },
    { name: 'heResultBytes', value: g64.result, unit: 'B', note: 'switched down to 2 primes, zstd' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReport(await benchHeAggregate());
}
