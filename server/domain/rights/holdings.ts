// Holdings of the three rights (持有/控制权, 使用/加工权, 收益/经营权), in basis points.
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DbHandle } from '../../db/client.ts';
import { participants } from '../../db/schema.ts';
import { AppError } from '../errors.ts';

export const RIGHTS = ['control', 'use', 'income'] as const;
export type Right = (typeof RIGHTS)[number];
export const FULL_SHARE_BPS = 10_000;

export const HoldingInput = z.object({
  right: z.enum(RIGHTS),
  holderId: z.uuid(),
  shareBps: z.number().int(),
});
export type Holding = z.infer<typeof HoldingInput>;

/**
 * Every right has holders whose positive shares sum to exactly 10,000 bps, no holder twice per
 * right. Returns the holdings in a canonical order (right, then holder id).
 */
export function checkShares(holdings: Holding[]): Holding[] {
  for (const right of RIGHTS) {
    const of = holdings.filter((h) => h.right === right);
    if (of.length === 0) throw new AppError('INVALID_SHARES', { field: 'holdings', message: `holdings: no holder of the ${right} right` });
    if (of.some((h) => h.shareBps <= 0 || h.shareBps > FULL_SHARE_BPS)) {
      throw new AppError('INVALID_SHARES', { field: 'holdings', message: `holdings: ${right} shares must be between 1 and 10,000 bps` });
    }
    if (new Set(of.map((h) => h.holderId)).size !== of.length) {
      throw new AppError('INVALID_SHARES', { field: 'holdings', message: `holdings: a holder appears twice for the ${right} right` });
    }
    const sum = of.reduce((s, h) => s + h.shareBps, 0);
    if (sum !== FULL_SHARE_BPS) {
      throw new AppError('INVALID_SHARES', { field: 'holdings', message: `holdings: ${right} shares sum to ${sum} bps, not 10,000` });
    }
  }
  return sortHoldings(holdings);
}

/** The canonical order of holdings: by right (control, use, income), then by holder id. */
export function sortHoldings(holdings: readonly Holding[]): Holding[] {
  return [...holdings].sort((a, b) => RIGHTS.indexOf(a.right) - RIGHTS.indexOf(b.right) || a.holderId.localeCompare(b.holderId));
}

/** Every holder must be a verified participant. */
export async function checkHoldersVerified(handle: DbHandle, holdings: Holding[]): Promise<void> {
  const ids = [...new Set(holdings.map((h) => h.holderId))];
  const found = await handle
    .select({ id: participants.id })
    .from(participants)
    .where(and(inArray(participants.id, ids), eq(participants.status, 'verified')));
  const verified = new Set(found.map((r) => r.id));
  const unknown = ids.filter((id) => !verified.has(id));
  if (unknown.length) throw new AppError('UNKNOWN_HOLDER', { field: 'holdings', details: { holders: unknown } });
}
