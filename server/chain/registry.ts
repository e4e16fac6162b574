// Binding for ParticipantRegistry.sol: the on-chain register of verified participants.
import { keccak256, toUtf8Bytes, ZeroHash, type Contract, type InterfaceAbi } from 'ethers';
import type { ChainClient } from './client.ts';
import type { OutboxHandler } from './outbox.ts';

export const CHAIN_ROLES = ['operator', 'provider', 'buyer', 'regulator', 'arbiter'] as const;
export type ChainRole = (typeof CHAIN_ROLES)[number];

/** keccak256("PROVIDER_ROLE") and so on, as the contract defines them. */
export function chainRoleId(role: ChainRole): string {
  return keccak256(toUtf8Bytes(`${role.toUpperCase()}_ROLE`));
}

/** A uuid as the contract's bytes32 participant id (hex digits left-aligned, zero-padded). */
export function participantIdToBytes32(id: string): string {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a uuid: ${id}`);
  return '0x' + hex.toLowerCase().padEnd(64, '0');
}

export interface RegisterParticipantPayload {
  participantId: string;
  account: string;
  profileHash: string;
  roles: ChainRole[];
}

/** Outbox payload of 'registry.suspend' and 'registry.reinstate': whose admission to pause or restore. */
export interface ParticipantStatusPayload {
  participantId: string;
  account: string;
}

export const REGISTRY_SUSPEND = 'registry.suspend';
export const REGISTRY_REINSTATE = 'registry.reinstate';

export class ParticipantRegistry {
  readonly contract: Contract;

  constructor(
    private readonly client: ChainClient,
    readonly address: string,
    private readonly abi: InterfaceAbi,
  ) {
    this.contract = client.contract(address, abi);
  }

  /** Admits a participant; a participant already registered is left as it is (idempotent). */
  async register(p: RegisterParticipantPayload): Promise<{ txHash: string; blockNumber: number } | null> {
    const existing = await this.participantOf(p.account);
    if (existing.verifiedAt !== 0n) return null;
    const data = this.contract.interface.encodeFunctionData('registerParticipant', [
      p.account,
      participantIdToBytes32(p.participantId),
      p.profileHash,
      p.roles.map(chainRoleId),
    ]);
    const receipt = await this.client.send({ to: this.address, data }, `registry.register ${p.participantId}`, this.abi);
    return { txHash: receipt.hash, blockNumber: receipt.blockNumber };
  }

  /**
   * Marks a registered participant inactive (a supervisory suspension); nothing is sent when
   * the chain already has it inactive. A participant whose admission has not reached the chain
   * yet throws, so the outbox retries after the admission is delivered.
   */
  async suspend(p: ParticipantStatusPayload): Promise<{ txHash: string; blockNumber: number } | null> {
    return this.setActive(p, false);
  }

  /** Marks a suspended participant active again; idempotent like `suspend`. */
  async reinstate(p: ParticipantStatusPayload): Promise<{ txHash: string; blockNumber: number } | null> {
    return this.setActive(p, true);
  }

  private async setActive(p: ParticipantStatusPayload, active: boolean): Promise<{ txHash: string; blockNumber: number } | null> {
    const current = await this.participantOf(p.account);
    if (current.verifiedAt === 0n) throw new Error(`participant ${p.participantId} is not registered on chain yet`);
    if (current.active === active) return null;
    const fn = active ? 'reinstateParticipant' : 'suspendParticipant';
    const data = this.contract.interface.encodeFunctionData(fn, [p.account]);
    const receipt = await this.client.send({ to: this.address, data }, `${active ? REGISTRY_REINSTATE : REGISTRY_SUSPEND} ${p.participantId}`, this.abi);
    return { txHash: receipt.hash, blockNumber: receipt.blockNumber };
  }

  async participantOf(account: string): Promise<{ participantId: string; profileHash: string; verifiedAt: bigint; active: boolean }> {
    const r = await this.contract.getFunction('participantOf').staticCall(account);
    return { participantId: r[0], profileHash: r[1], verifiedAt: r[2], active: r[3] };
  }

  async isActive(account: string): Promise<boolean> {
    return this.contract.getFunction('isActive').staticCall(account);
  }

  async hasRole(role: ChainRole, account: string): Promise<boolean> {
    return this.contract.getFunction('hasRole').staticCall(chainRoleId(role), account);
  }

  async isRegistered(participantId: string): Promise<boolean> {
    const account: string = await this.contract.getFunction('accountOf').staticCall(participantIdToBytes32(participantId));
    return account !== '0x0000000000000000000000000000000000000000' && account !== ZeroHash;
  }

  outboxHandlers(): Record<string, OutboxHandler> {
    return {
      'registry.register': async (payload) => this.register(payload as RegisterParticipantPayload),
      [REGISTRY_SUSPEND]: async (payload) => this.suspend(payload as ParticipantStatusPayload),
      [REGISTRY_REINSTATE]: async (payload) => this.reinstate(payload as ParticipantStatusPayload),
    };
  }
}
