// Roles a participant holds and the API-key scopes they allow.

export const ROLES = ['provider', 'buyer', 'operator', 'regulator', 'arbiter'] as const;
export type Role = (typeof ROLES)[number];

/** Roles an organisation may ask for itself; the others are appointed by the operator. */
export const SELF_SERVICE_ROLES: readonly Role[] = ['provider', 'buyer'];

/** `read` lets a key see its own participant and public data; each role scope acts as that role. */
export const SCOPES = ['read', ...ROLES] as const;
export type Scope = (typeof SCOPES)[number];

export type ParticipantStatus = 'pending' | 'verified' | 'rejected' | 'suspended';

/** Who is calling: the participant behind an API key and what the key may do. */
export interface Viewer {
  participantId: string;
  participantStatus: ParticipantStatus;
  roles: Role[];
  apiKeyId: string;
  scopes: Scope[];
}

/** A verified participant acting through a key that carries the scope of a role it holds. */
export function actsAs(viewer: Viewer | null, role: Role): boolean {
  return !!viewer && viewer.participantStatus === 'verified' && viewer.roles.includes(role) && viewer.scopes.includes(role);
}
