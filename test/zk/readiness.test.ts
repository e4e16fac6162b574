import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadCircuit } from '../../server/privacy/zk/artifacts.ts';
import { zkReadiness } from '../../server/privacy/zk/readiness.ts';

describe('zkReadiness', () => {
  it('reports every registered circuit built, with its constraints and verification key hash', async () => {
    const { paths } = await loadCircuit('range_commitment');
    const vkeySha256 = createHash('sha256').update(await readFile(paths.vkey)).digest('hex');

    const readiness = await zkReadiness();

    expect(readiness).toEqual({
      ready: true,
      circuits: [{ name: 'range_commitment', constraints: 560, vkeySha256 }],
    });
  });
});

describe('loadCircuit', () => {
  it('loads the verification key once per process', async () => {
    const first = await loadCircuit('range_commitment');
    const second = await loadCircuit('range_commitment');
    expect(second.verificationKey).toBe(first.verificationKey);
    expect(first.verificationKey.nPublic).toBe(3);
  });
});
