// Binding for ComplianceRegistry.sol: the on-chain record of verified compliance proofs (合规证明),
// and the deployment of the registry with one generated Groth16 verifier per circuit.
import { AbiCoder, keccak256, toUtf8Bytes, type Contract, type InterfaceAbi } from 'ethers';
import type { Logger } from 'pino';
import { pascalName } from '../../circuits/registry.ts';
import type { Db } from '../db/client.ts';
import type { SolidityCalldata } from '../privacy/zk/verify.ts';
import type { ChainClient } from './client.ts';
import { loadArtifact } from './contracts.ts';
import { ensureDeployed } from './deploy.ts';
import type { OutboxHandler } from './outbox.ts';

export const COMPLIANCE_REGISTRY_SOURCE = 'contracts/ComplianceRegistry.sol';

/** keccak256 of the circuit's registry name, the contract's circuit id. */
export function circuitId(circuit: string): string {
  return keccak256(toUtf8Bytes(circuit));
}

/** A dataset uuid as the contract's bytes32 dataset id (hex digits left-aligned, zero-padded). */
export function datasetIdToBytes32(id: string): string {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a uuid: ${id}`);
  return '0x' + hex.toLowerCase().padEnd(64, '0');
}

/** The proof as recordProof takes it: a, b (each coordinate imaginary part first), c. */
export function solidityProof(calldata: Pick<SolidityCalldata, 'a' | 'b' | 'c'>): bigint[] {
  const { a, b, c } = calldata;
  return [a[0], a[1], b[0][0], b[0][1], b[1][0], b[1][1], c[0], c[1]];
}

/** The record's key as the contract computes it: keccak256(abi.encode(circuitId, datasetId, version, publicSignals)). */
export function complianceProofHash(circuit: string, datasetId: string, version: number | bigint, publicSignals: readonly bigint[]): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ['bytes32', 'bytes32', 'uint64', 'uint256[]'],
      [circuitId(circuit), datasetIdToBytes32(datasetId), version, publicSignals],
    ),
  );
}

/** What the outbox carries to record a proof (JSON: numbers as decimal strings). */
export interface RecordComplianceProofPayload {
  circuit: string;
  datasetId: string;
  version: number;
  publicSignals: string[];
  /** solidityProof(toSolidityCalldata(proof, publicSignals)), as decimal strings. */
  proof: string[];
}

export interface VerifierRegistration {
  circuit: string;
  verifier: string;
  /** sha256 of the circuit's verification_key.json, hex (the manifest's sha256.vkey). */
  vkeySha256: string;
  publicSignalCount: number;
}

export interface RecordedComplianceProof {
  circuitId: string;
  datasetId: string;
  version: bigint;
  recordedAt: bigint;
  recorder: string;
  verificationKeyHash: string;
}

export class ComplianceRegistry {
  readonly contract: Contract;

  constructor(
    private readonly client: ChainClient,
    readonly address: string,
    readonly abi: InterfaceAbi,
  ) {
    this.contract = client.contract(address, abi);
  }

  /** Registers the circuit's verifier; one already registered with the same key is left as it is. */
  async registerVerifier(r: VerifierRegistration): Promise<{ txHash: string; blockNumber: number } | null> {
    const vkeyHash = '0x' + r.vkeySha256.toLowerCase();
    const current = await this.circuitOf(r.circuit);
    if (
      current.verifier.toLowerCase() === r.verifier.toLowerCase() &&
      current.verificationKeyHash === vkeyHash &&
      current.publicSignalCount === r.publicSignalCount
    ) {
      return null;
    }
    const data = this.contract.interface.encodeFunctionData('registerVerifier', [
      circuitId(r.circuit),
      r.verifier,
      vkeyHash,
      r.publicSignalCount,
    ]);
    const receipt = await this.client.send({ to: this.address, data }, `compliance.registerVerifier ${r.circuit}`, this.abi);
    return { txHash: receipt.hash, blockNumber: receipt.blockNumber };
  }

  /**
   * Verifies and records a proof on chain (journalled through the chain client). Throws
   * ChainRevertError InvalidProof, ProofAlreadyRecorded, UnknownCircuit or PublicSignalCountMismatch
   * before anything is signed.
   */
  async recordProof(p: {
    circuit: string;
    datasetId: string;
    version: number;
    publicSignals: readonly bigint[];
    proof: readonly bigint[];
  }): Promise<{ proofHash: string; txHash: string; blockNumber: number }> {
    if (p.proof.length !== 8) throw new Error('a Groth16 proof for the verifier is 8 words');
    const data = this.contract.interface.encodeFunctionData('recordProof', [
      circuitId(p.circuit),
      datasetIdToBytes32(p.datasetId),
      p.version,
      p.publicSignals,
      p.proof,
    ]);
    const receipt = await this.client.send(
      { to: this.address, data },
      `compliance.recordProof ${p.circuit} ${p.datasetId}@${p.version}`,
      this.abi,
    );
    return {
      proofHash: complianceProofHash(p.circuit, p.datasetId, p.version, p.publicSignals),
      txHash: receipt.hash,
      blockNumber: receipt.blockNumber,
    };
  }

  async isRecorded(proofHash: string): Promise<boolean> {
    return this.contract.getFunction('isRecorded').staticCall(proofHash);
  }

  async recordOf(proofHash: string): Promise<RecordedComplianceProof> {
    const r = await this.contract.getFunction('recordOf').staticCall(proofHash);
    return { circuitId: r[0], datasetId: r[1], version: r[2], recordedAt: r[3], recorder: r[4], verificationKeyHash: r[5] };
  }

  async circuitOf(circuit: string): Promise<{ verifier: string; selector: string; publicSignalCount: number; verificationKeyHash: string }> {
    const c = await this.contract.getFunction('circuitOf').staticCall(circuitId(circuit));
    return { verifier: c[0], selector: c[1], publicSignalCount: Number(c[2]), verificationKeyHash: c[3] };
  }

  outboxHandlers(): Record<string, OutboxHandler> {
    return {
      // Idempotent: a statement already recorded for the dataset version is not sent again.
      'compliance.record': async (payload) => {
        const p = payload as RecordComplianceProofPayload;
        const publicSignals = p.publicSignals.map(BigInt);
        if (await this.isRecorded(complianceProofHash(p.circuit, p.datasetId, p.version, publicSignals))) return null;
        const { txHash, blockNumber } = await this.recordProof({ ...p, publicSignals, proof: p.proof.map(BigInt) });
        return { txHash, blockNumber };
      },
    };
  }
}

/**
 * Deploys ComplianceRegistry and each circuit's generated verifier where the chain lacks them
 * (a changed verifier, after a new ceremony contribution, is deployed anew), and registers every
 * verifier whose address or key hash the registry does not hold yet.
 */
export async function ensureComplianceRegistry(options: {
  client: ChainClient;
  db: Db;
  log: Logger;
  projectRoot: string;
  /** The built circuits: name, sha256 of verification_key.json, number of public signals. */
  circuits: readonly { name: string; vkeySha256: string; publicSignalCount: number }[];
}): Promise<ComplianceRegistry> {
  const { client, db, log, projectRoot, circuits } = options;
  const artifact = loadArtifact(projectRoot, COMPLIANCE_REGISTRY_SOURCE, 'ComplianceRegistry');
  const deployment = await ensureDeployed(client, db, log, artifact, [client.operatorAddress]);
  const registry = new ComplianceRegistry(client, deployment.address, artifact.abi);
  for (const circuit of circuits) {
    const contractName = `${pascalName(circuit.name)}Verifier`;
    const verifierArtifact = loadArtifact(projectRoot, `contracts/generated/${contractName}.sol`, contractName);
    const verifier = await ensureDeployed(client, db, log, verifierArtifact, []);
    await registry.registerVerifier({
      circuit: circuit.name,
      verifier: verifier.address,
      vkeySha256: circuit.vkeySha256,
      publicSignalCount: circuit.publicSignalCount,
    });
  }
  return registry;
}
