// Compiled contract artifacts from `npm run build:contracts` (Hardhat writes them under artifacts/).
import fs from 'node:fs';
import path from 'node:path';
import { keccak256, type InterfaceAbi } from 'ethers';

export interface ContractArtifact {
  contractName: string;
  abi: InterfaceAbi;
  bytecode: string;
  bytecodeHash: string;
}

/** The contracts the server deploys at start, in order, with the source folder each lives in. */
export const CORE_CONTRACTS = {
  ParticipantRegistry: 'contracts/ParticipantRegistry.sol',
  AnchorRegistry: 'contracts/AnchorRegistry.sol',
} as const;

export type CoreContractName = keyof typeof CORE_CONTRACTS;

const cache = new Map<string, ContractArtifact>();

export function loadArtifact(projectRoot: string, sourcePath: string, contractName: string): ContractArtifact {
  const file = path.join(projectRoot, 'artifacts', sourcePath, `${contractName}.json`);
  const hit = cache.get(file);
  if (hit) return hit;
  if (!fs.existsSync(file)) {
    throw new Error(`Contract artifact ${file} is missing: run \`npm run build:contracts\``);
  }
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { contractName: string; abi: InterfaceAbi; bytecode: string };
  const artifact = { contractName: json.contractName, abi: json.abi, bytecode: json.bytecode, bytecodeHash: keccak256(json.bytecode) };
  cache.set(file, artifact);
  return artifact;
}

export function loadCoreArtifact(projectRoot: string, name: CoreContractName): ContractArtifact {
  return loadArtifact(projectRoot, CORE_CONTRACTS[name], name);
}
