// The positive list's Merkle root (正面清单) as the exchange derives it from the regulator's
// entries: a provider proves membership with the sdk against it; a regulator's removal changes
// the root, so a proof made before no longer matches; another destination or category never does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provePositiveList } from '../../sdk/zk/positive-list.ts';
import { categoryCode, currentPositiveList, destinationCode, matchesCurrentList, positiveListWitness } from '../../server/domain/crossborder/positive-list-tree.ts';
import { decodePublicSignals, verifyStatement } from '../../server/privacy/zk/statements.ts';
import { proverArtifacts } from '../factories/compliance-datasets.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

const ADD = /* GraphQL */ `
  mutation($d: String!, $c: String!) { addToPositiveList(destination: $d, classification: $c) { __typename } }`;
const REMOVE = /* GraphQL */ `
  mutation($d: String!, $c: String!, $r: String!) { removeFromPositiveList(destination: $d, classification: $c, reason: $r) { __typename } }`;

describe('positive-list codes', () => {
  it('encodes destinations and classifications as their ASCII bytes, and refuses what does not fit', () => {
    expect(destinationCode('SG')).toBe(0x5347n);
    expect(categoryCode('finance.credit')).toBe(BigInt('0x' + Buffer.from('finance.credit').toString('hex')));
    expect(() => categoryCode('x'.repeat(32))).toThrow(RangeError);
    expect(() => destinationCode('')).toThrow(RangeError);
  });
});

describe.each(await databaseTargets())('positive-list root on %s', (database) => {
  let ex: TestExchange;
  let regulator: string;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    regulator = ex.keyOf('regulator');
  });
  afterAll(async () => {
    await ex?.stop();
  });

  it('proves membership under the current root; a removal makes the earlier proof stale', async () => {
    const db = ex.built.services.db;
    expect((await currentPositiveList(db)).list).toBeNull();
    for (const [d, c] of [['SG', 'transport.traffic'], ['HK', 'finance.credit'], ['SG', 'finance.credit']] as const) {
      expect((await ex.gql(ADD, { d, c }, regulator)).data.addToPositiveList.__typename).toBe('PositiveListEntry');
    }
    const before = await currentPositiveList(db);
    expect(before.entries.map((e) => `${e.destination}/${e.classification}`)).toEqual(['SG/transport.traffic', 'HK/finance.credit', 'SG/finance.credit']);
    expect(positiveListWitness(before, 'HK', 'transport.traffic')).toBeNull();

    const witness = positiveListWitness(before, 'HK', 'finance.credit')!;
    const { proof, publicSignals } = await provePositiveList(witness, await proverArtifacts('positive_list'));
    const statement = await verifyStatement('positive_list', publicSignals, proof);
    expect(statement).toEqual(decodePublicSignals('positive_list', publicSignals));
    expect(matchesCurrentList(before, statement!, { destination: 'HK', classification: 'finance.credit' })).toEqual({ ok: true });
    expect(matchesCurrentList(before, statement!, { destination: 'SG', classification: 'finance.credit' })).toMatchObject({ ok: false, reason: expect.stringContaining('destination') });
    expect(matchesCurrentList(before, statement!, { destination: 'HK', classification: 'transport.traffic' })).toMatchObject({ ok: false, reason: expect.stringContaining('category') });

    expect((await ex.gql(REMOVE, { d: 'HK', c: 'finance.credit', r: '暂停' }, regulator)).data.removeFromPositiveList.__typename).toBe('PositiveListEntry');
    const after = await currentPositiveList(db);
    expect(after.list!.root).not.toBe(before.list!.root);
    expect(positiveListWitness(after, 'HK', 'finance.credit')).toBeNull();
    // The proof still verifies — it is a true statement about the old list — but not against the current one.
    expect(await verifyStatement('positive_list', publicSignals, proof)).not.toBeNull();
    expect(matchesCurrentList(after, statement!, { destination: 'HK', classification: 'finance.credit' })).toMatchObject({ ok: false, reason: expect.stringContaining('not the current') });
  });
});
