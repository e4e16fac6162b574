// /health: whether the database, the chain and the crypto (SEAL, circuits) are ready.
import { outboxBacklog } from '../chain/outbox.ts';
import { heReadiness } from '../privacy/he/context.ts';
import { zkReadiness } from '../privacy/zk/readiness.ts';
import type { Services } from '../services.ts';

export async function health(services: Services) {
  const [database, chainStatus, outbox, he, zk] = await Promise.all([
    probe(async () => {
      await services.database.ping();
      return { kind: services.database.kind, location: services.database.location };
    }),
    probe(async () => ({
      kind: services.chain.embedded ? 'embedded' : 'json-rpc',
      chainId: services.chain.chainId.toString(),
      blockNumber: await services.chain.blockNumber(),
      operator: services.chain.readOnly ? null : services.chain.operatorAddress,
      contracts: { ParticipantRegistry: services.contracts.participantRegistry.address, AnchorRegistry: services.contracts.anchorRegistry.address },
    })),
    // Read from the database, so it shows the backlog growing exactly while the chain is unreachable.
    outboxBacklog(services.db).catch(() => null),
    heReadiness(),
    zkReadiness(),
  ]);
  const chain = { ...chainStatus, outbox };
  const crypto = { he, zk };
  const ok = database.ok && chain.ok && he.ready && zk.ready;
  return { status: ok ? 'ok' : 'degraded', database, chain, crypto };
}

async function probe<T>(f: () => Promise<T>): Promise<({ ok: true } & T) | { ok: false; error: string }> {
  const started = performance.now();
  try {
    const value = await f();
    return { ok: true, latencyMs: Math.round(performance.now() - started), ...value };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
