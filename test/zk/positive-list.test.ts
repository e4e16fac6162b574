// The positive_list circuit: a (destination, category) pair on the regulator's list.

import { readFile } from 'node:fs/promises';
import * as snarkjs from 'snarkjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Groth16ProofWithSignals, ProverArtifacts } from '../../sdk/zk/groth16.ts';
import { PositiveList, provePositiveList, type PositiveListInput } from '../../sdk/zk/positive-list.ts';
import { decodePublicSignals } from '../../server/privacy/zk/statements.ts';
import { closeZk, verifyGroth16 } from '../../server/privacy/zk/verify.ts';
import { proverArtifacts } from '../factories/compliance-datasets.ts';

// ISO 3166-1 numeric destinations; category codes as the catalog numbers them.
const SINGAPORE = 702n;
const HONG_KONG = 344n;
const TRADE_STATISTICS = 3101n;
const LOGISTICS = 5203n;
const HEALTH_RECORDS = 8601n;

const list = PositiveList.build([
  { destination: SINGAPORE, category: TRADE_STATISTICS },
  { destination: SINGAPORE, category: LOGISTICS },
  { destination: HONG_KONG, category: TRADE_STATISTICS },
]);

let artifacts: ProverArtifacts;
let honest: Groth16ProofWithSignals;

beforeAll(async () => {
  artifacts = await proverArtifacts('positive_list');
  honest = await provePositiveList(list.input({ destination: SINGAPORE, category: LOGISTICS }), artifacts);
});

afterAll(async () => {
  await closeZk();
});

function witness(input: PositiveListInput): Promise<void> {
  return snarkjs.wtns.calculate({ ...input }, artifacts.wasm, { type: 'mem' });
}

describe('provePositiveList', () => {
  it('proves an entry of the list, with public signals listRoot, destination, category', async () => {
    expect(decodePublicSignals('positive_list', honest.publicSignals)).toEqual({
      listRoot: list.root,
      destination: SINGAPORE,
      category: LOGISTICS,
    });
    expect(await verifyGroth16('positive_list', honest.publicSignals, honest.proof)).toBe(true);
  });

  it('proves with the artifacts given as bytes, as a browser holds them', async () => {
    const bytes = { wasm: await readFile(artifacts.wasm as string), zkey: await readFile(artifacts.zkey as string) };
    const { publicSignals, proof } = await provePositiveList(list.input({ destination: HONG_KONG, category: TRADE_STATISTICS }), bytes);
    expect(await verifyGroth16('positive_list', publicSignals, proof)).toBe(true);
  });

  it('has no witness for a pair that is not on the list', () => {
    expect(() => list.input({ destination: HONG_KONG, category: LOGISTICS })).toThrow(RangeError);
    expect(() => PositiveList.build([{ destination: 1n, category: 1n }, { destination: 1n, category: 1n }])).toThrow(RangeError);
  });
});

describe('positive_list refuses', () => {
  it("another category with a listed entry's path", async () => {
    const input = { ...list.input({ destination: SINGAPORE, category: LOGISTICS }), category: HEALTH_RECORDS };
    await expect(witness(input)).rejects.toThrow(/PositiveList/);
  });

  it('another destination for a listed category', async () => {
    const input = { ...list.input({ destination: SINGAPORE, category: LOGISTICS }), destination: HONG_KONG };
    await expect(witness(input)).rejects.toThrow(/PositiveList/);
  });

  it('a wrong Merkle path', async () => {
    const input = list.input({ destination: SINGAPORE, category: LOGISTICS });
    input.siblings[0] = input.siblings[0]! + 1n;
    await expect(witness(input)).rejects.toThrow(/PositiveList/);
  });

  it('a wrong leaf index', async () => {
    const input = { ...list.input({ destination: SINGAPORE, category: LOGISTICS }), leafIndex: 0n };
    await expect(witness(input)).rejects.toThrow(/PositiveList/);
  });

  it('another list root', async () => {
    const other = PositiveList.build([{ destination: SINGAPORE, category: LOGISTICS }]);
    const input = { ...list.input({ destination: SINGAPORE, category: LOGISTICS }), listRoot: other.root };
    await expect(witness(input)).rejects.toThrow(/PositiveList/);
  });
});

describe('verifyGroth16 on positive_list', () => {
  it.each([
    { signal: 'listRoot', index: 0 },
    { signal: 'destination', index: 1 },
    { signal: 'category', index: 2 },
  ])('fails for another $signal', async ({ index }) => {
    const altered = honest.publicSignals.map((s, i) => (i === index ? (BigInt(s) + 1n).toString() : s));
    expect(await verifyGroth16('positive_list', altered, honest.proof)).toBe(false);
  });
});
