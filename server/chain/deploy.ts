// Deploys the exchange's contracts when the configured chain does not have them yet.
import { and, eq } from 'drizzle-orm';
import { ContractFactory } from 'ethers';
import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import { chainDeployments } from '../db/schema.ts';
import type { ChainClient } from './client.ts';
import { loadArtifact, type ContractArtifact } from './contracts.ts';

export interface Deployment {
  contract: string;
  address: string;
  txHash: string;
  deployedNow: boolean;
}

/**
 * The deployment the primary recorded, for a node that only reads the chain (never deploys):
 * an error when the contract is not recorded or its address holds no code on this chain.
 */
export async function recordedDeployment(client: ChainClient, db: Db, artifact: ContractArtifact): Promise<Deployment> {
  const [row] = await db
    .select()
    .from(chainDeployments)
    .where(and(eq(chainDeployments.chainId, client.chainId), eq(chainDeployments.contract, artifact.contractName)));
  if (!row) throw new Error(`${artifact.contractName} is not deployed on chain ${client.chainId} according to the database: start the primary first`);
  if ((await client.provider.getCode(row.address)) === '0x') throw new Error(`${artifact.contractName} at ${row.address} has no code on chain ${client.chainId}: is this the primary's chain?`);
  return { contract: row.contract, address: row.address, txHash: row.txHash, deployedNow: false };
}

/**
 * Returns the recorded deployment of a contract on this chain, deploying it first when there
 * is none, when its address holds no code (a reset chain), or when the compiled bytecode
 * changed (a new version; the old one keeps its state at its old address).
 */
export async function ensureDeployed(
  client: ChainClient,
  db: Db,
  log: Logger,
  artifact: ContractArtifact,
  args: unknown[],
): Promise<Deployment> {
  const [row] = await db
    .select()
    .from(chainDeployments)
    .where(and(eq(chainDeployments.chainId, client.chainId), eq(chainDeployments.contract, artifact.contractName)));
  if (row) {
    const code = await client.provider.getCode(row.address);
    if (code !== '0x' && row.bytecodeHash === artifact.bytecodeHash) {
      return { contract: row.contract, address: row.address, txHash: row.txHash, deployedNow: false };
    }
    log.warn(
      { contract: artifact.contractName, address: row.address, reason: code === '0x' ? 'no code at address' : 'bytecode changed' },
      'redeploying contract',
    );
  }
  const factory = new ContractFactory(artifact.abi, artifact.bytecode, client.signer);
  const request = await factory.getDeployTransaction(...args);
  const receipt = await client.send(request, `deploy ${artifact.contractName}`, artifact.abi);
  const address = receipt.contractAddress!;
  const values = {
    chainId: client.chainId,
    contract: artifact.contractName,
    address,
    txHash: receipt.hash,
    bytecodeHash: artifact.bytecodeHash,
  };
  await db
    .insert(chainDeployments)
    .values(values)
    .onConflictDoUpdate({ target: [chainDeployments.chainId, chainDeployments.contract], set: values });
  log.info({ contract: artifact.contractName, address, txHash: receipt.hash }, 'contract deployed');
  return { contract: artifact.contractName, address, txHash: receipt.hash, deployedNow: true };
}

