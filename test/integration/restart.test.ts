// A second start on the same data dir keeps every record, and the in-process chain, rebuilt
// from the journal, holds exactly what was anchored before: same transactions, same blocks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedCreditCode } from '../../server/domain/participants/seed-system-participants.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';

describe('restarting the embedded exchange', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'exchange-restart-'));
  let ex: TestExchange | undefined;
  afterAll(async () => {
    await ex?.stop({ keepData: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps data and rebuilds the chain so what was registered still verifies', async () => {
    ex = await startTestExchange({ database: 'pglite', dataDir });
    expect(fs.existsSync(path.join(dataDir, 'initial-keys.json'))).toBe(true);
    const operator = ex.keyOf('operator');
    const reg = await ex.gql(
      `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { ... on RegisterParticipantPayload { participant { id chainAddress } apiKey { token } } } }`,
      { input: { name: '重启测试公司', jurisdiction: 'CN', registrationCode: seedCreditCode('REBT0001'), roles: ['BUYER'] } },
    );
    const { participant, apiKey } = reg.data.registerParticipant;
    await ex.gql(`mutation($id: ID!) { reviewParticipant(participantId: $id, approve: true) { __typename } }`, { id: participant.id }, operator);
    await ex.built.services.outbox.drain();
    const registryAddress = ex.built.services.contracts.participantRegistry.address;
    const first = await ex.gql(`query($id: ID!) { node(id: $id) { ... on Participant { status chainRegistration { txHash blockNumber } } } }`, { id: participant.id }, operator);
    expect(first.errors).toBeUndefined();
    const { txHash, blockNumber } = first.data.node.chainRegistration;
    const height = await ex.built.services.chain.blockNumber();
    await ex.stop({ keepData: true });

    ex = await startTestExchange({ database: 'pglite', dataDir });
    expect(ex.built.seededKeys).toEqual([]);
    const services = ex.built.services;
    expect(services.contracts.participantRegistry.address).toBe(registryAddress);
    expect(await services.chain.blockNumber()).toBe(height);
    const receipt = await services.chain.provider.getTransactionReceipt(txHash);
    expect(receipt).toMatchObject({ status: 1, blockNumber: Number(blockNumber) });
    expect(await services.contracts.participantRegistry.hasRole('buyer', participant.chainAddress)).toBe(true);

    const again = await ex.gql(`query($id: ID!) { node(id: $id) { ... on Participant { status chainRegistration { txHash } } } }`, { id: participant.id }, operator);
    expect(again.data.node).toEqual({ status: 'VERIFIED', chainRegistration: { txHash } });
    const me = await ex.gql(`{ viewer { ... on Viewer { participant { id } } } }`, {}, apiKey.token);
    expect(me.data.viewer.participant.id).toBe(participant.id);

    // New work after the restart lands on top of the rebuilt chain.
    const reg2 = await ex.gql(
      `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { ... on RegisterParticipantPayload { participant { id chainAddress } } } }`,
      { input: { name: '重启后公司', jurisdiction: 'CN', registrationCode: seedCreditCode('REBT0002'), roles: ['PROVIDER'] } },
    );
    await ex.gql(`mutation($id: ID!) { reviewParticipant(participantId: $id, approve: true) { __typename } }`, { id: reg2.data.registerParticipant.participant.id }, operator);
    await services.outbox.drain();
    expect(await services.contracts.participantRegistry.hasRole('provider', reg2.data.registerParticipant.participant.chainAddress)).toBe(true);

    const health = await (await fetch(`${ex.url}/health`)).json();
    expect(health.database.ok).toBe(true);
    expect(health.chain).toMatchObject({ ok: true, kind: 'embedded', outbox: { pending: 0, failed: 0 } });
  });
});
