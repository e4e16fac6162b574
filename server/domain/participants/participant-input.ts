// Validation of a participant's registration details, shared by self-service registration
// and operator-created participants.
import { getAddress, isAddress, keccak256, toUtf8Bytes, dataSlice } from 'ethers';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { checkCreditCode } from './credit-code.ts';
import { ROLES, type Role } from './roles.ts';

export const ParticipantInput = z.object({
  name: z.string().trim().min(2).max(200),
  /** ISO 3166-1 alpha-2, optionally with a subdivision: CN, CN-GD, HK, SG, DE. */
  jurisdiction: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be an ISO 3166 code such as CN, CN-GD or SG'),
  /** 统一社会信用代码 for mainland organisations; the home registry's number otherwise. */
  registrationCode: z.string().trim().min(3).max(64),
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  chainAddress: z
    .string()
    .refine((a) => isAddress(a), 'must be an EVM address')
    .optional(),
  contactEmail: z.email().max(254).optional(),
  /** The controlling organisation's registration code (实际控制人), for related-party surveillance. */
  controllerCode: z.string().trim().toUpperCase().regex(/^[0-9A-Z./ -]{3,64}$/, 'a registration code').optional(),
});
export type ParticipantInput = z.input<typeof ParticipantInput>;

export interface ValidParticipant {
  name: string;
  jurisdiction: string;
  registrationScheme: 'uscc' | 'foreign';
  registrationCode: string;
  roles: Role[];
  chainAddress: string | undefined;
  contactEmail: string | undefined;
  controllerCode: string | undefined;
}

export function validateParticipantInput(input: unknown): ValidParticipant {
  const p = parseInput(ParticipantInput, input);
  const mainland = p.jurisdiction === 'CN' || p.jurisdiction.startsWith('CN-');
  let registrationCode = p.registrationCode.toUpperCase();
  if (mainland) {
    const checked = checkCreditCode(registrationCode);
    if (!checked.ok) {
      throw new AppError('INVALID_CREDIT_CODE', {
        field: 'registrationCode',
        message: `registrationCode: not a valid unified social credit code (${checked.problem})`,
      });
    }
    registrationCode = checked.code;
  } else if (!/^[A-Z0-9][A-Z0-9 ./-]{1,62}[A-Z0-9]$/.test(registrationCode)) {
    throw new AppError('INVALID_INPUT', { field: 'registrationCode', message: 'registrationCode: letters, digits, space, dot, slash or dash' });
  }
  return {
    name: p.name,
    jurisdiction: p.jurisdiction,
    registrationScheme: mainland ? 'uscc' : 'foreign',
    registrationCode,
    roles: [...new Set(p.roles)],
    chainAddress: p.chainAddress ? getAddress(p.chainAddress) : undefined,
    contactEmail: p.contactEmail,
    controllerCode: p.controllerCode,
  };
}

/**
 * A participant that brings no address of its own gets one derived from its id: an identity
 * on the registry that no one holds a key for, acted for by the exchange.
 */
export function derivedChainAddress(participantId: string): string {
  return getAddress(dataSlice(keccak256(toUtf8Bytes(`exchange-participant:${participantId}`)), 12));
}

/** keccak256 of the verified profile, as anchored in the registry. */
export function profileHash(p: { name: string; jurisdiction: string; registrationScheme: string; registrationCode: string; roles: string[] }): string {
  return keccak256(
    toUtf8Bytes(
      JSON.stringify({
        name: p.name,
        jurisdiction: p.jurisdiction,
        registrationScheme: p.registrationScheme,
        registrationCode: p.registrationCode,
        roles: [...p.roles].sort(),
      }),
    ),
  );
}
