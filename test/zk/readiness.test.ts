import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { CircuitName } from '../../circuits/registry.ts';
import { loadCircuit } from '../../server/privacy/zk/artifacts.ts';
import { zkReadiness } from '../../server/privacy/zk/readiness.ts';

describe('zkReadiness', () => {
  it('reports every registered circuit built, with its constraints and verification key hash', async () => {
    const vkeySha256 = async (name: CircuitName) =>
      createHash('sha256').update(await readFile((await loadCircuit(name)).paths.vkey)).digest('hex');

    const readiness = await zkReadiness();

    // The counts each circuit's header states.
    expect(readiness).toEqual({
      ready: true,
      circuits: [
        { name: 'range_commitment', constraints: 560, vkeySha256: await vkeySha256('range_commitment') },
        { name: 'rule_chunk', constraints: 13_506, vkeySha256: await vkeySha256('rule_chunk') },
        { name: 'sampled_audit', constraints: 22_164, vkeySha256: await vkeySha256('sampled_audit') },
        { name: 'positive_list', constraints: 2_660, vkeySha256: await vkeySha256('positive_list') },
        { name: 'min_group_size', constraints: 8_088, vkeySha256: await vkeySha256('min_group_size') },
      ],
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
