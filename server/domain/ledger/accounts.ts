// Ledger accounts: each participant's `available` and `escrow`, and the exchange's `fees`,
// `settlement` and `gateway` accounts (created by the migration).
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { ledgerAccounts } from '../../db/schema.ts';

export type AccountKind = (typeof ledgerAccounts.$inferSelect)['kind'];
export type ParticipantAccountKind = 'available' | 'escrow';
export type SystemAccountKind = 'fees' | 'settlement' | 'gateway';

/** The id of a participant's account, created on first use. */
export async function participantAccount(handle: DbHandle, ownerId: string, kind: ParticipantAccountKind): Promise<string> {
  const [created] = await handle.insert(ledgerAccounts).values({ ownerId, kind }).onConflictDoNothing().returning({ id: ledgerAccounts.id });
  if (created) return created.id;
  const [row] = await handle
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.ownerId, ownerId), eq(ledgerAccounts.kind, kind)));
  return row!.id;
}

/** Accounts of many participants at once (created where missing), keyed `${ownerId}:${kind}`. */
export async function participantAccounts(handle: DbHandle, ownerIds: string[], kinds: ParticipantAccountKind[]): Promise<Map<string, string>> {
  const unique = [...new Set(ownerIds)];
  if (unique.length === 0) return new Map();
  await handle
    .insert(ledgerAccounts)
    .values(unique.flatMap((ownerId) => kinds.map((kind) => ({ ownerId, kind }))))
    .onConflictDoNothing();
  const rows = await handle
    .select({ id: ledgerAccounts.id, ownerId: ledgerAccounts.ownerId, kind: ledgerAccounts.kind })
    .from(ledgerAccounts)
    .where(and(inArray(ledgerAccounts.ownerId, unique), inArray(ledgerAccounts.kind, kinds)));
  return new Map(rows.map((r) => [`${r.ownerId}:${r.kind}`, r.id]));
}

export async function systemAccount(handle: DbHandle, kind: SystemAccountKind): Promise<string> {
  const [row] = await handle
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(isNull(ledgerAccounts.ownerId), eq(ledgerAccounts.kind, kind)));
  if (!row) throw new Error(`system ledger account ${kind} is missing (migration 0003)`);
  return row.id;
}

export async function balancesOf(handle: DbHandle, ownerId: string): Promise<{ availableFen: bigint; escrowFen: bigint }> {
  const rows = await handle
    .select({ kind: ledgerAccounts.kind, balance: ledgerAccounts.balanceFen })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.ownerId, ownerId));
  return {
    availableFen: rows.find((r) => r.kind === 'available')?.balance ?? 0n,
    escrowFen: rows.find((r) => r.kind === 'escrow')?.balance ?? 0n,
  };
}
