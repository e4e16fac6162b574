// A clearing run, on the schedule or on the operator's demand: first settle any cycle a crash
// left computed, then compute and settle a new cycle if there is anything to clear. Safe to
// call twice at once, from any number of processes: the clearing lock serialises the steps,
// and each step finds what another already did.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { clearingCycles } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import type { ClearingCycleRow } from './clearing-cycle.ts';
import { tryComputeClearingCycle, type ClearingTrigger } from './compute-clearing-cycle.ts';
import { settleClearingCycle, type SettleHooks } from './settle-clearing-cycle.ts';

export interface ClearingRun {
  /** The cycle this run computed and settled; null when there was nothing to clear. */
  cycle: ClearingCycleRow | null;
  /** Cycles left computed by an earlier run (a crash, a failed settlement) that this run settled. */
  resumed: ClearingCycleRow[];
}

/** Attempts at computing when another run keeps computing in between; each attempt settles what it finds first. */
const MAX_ATTEMPTS = 5;

export async function runClearingCycle({
  db,
  actor,
  trigger,
  feeBps,
  hooks,
}: {
  db: Db;
  /** The operator for a manual run; null for the scheduler (the system itself). */
  actor: Viewer | null;
  trigger: ClearingTrigger;
  feeBps: number;
  hooks?: SettleHooks;
}): Promise<ClearingRun> {
  if (trigger === 'manual') {
    if (!actor) throw new AppError('UNAUTHENTICATED');
    if (!actsAs(actor, 'operator')) throw new AppError('FORBIDDEN');
  } else if (actor) throw new AppError('FORBIDDEN', { message: 'scheduled clearing runs as the system, not for a participant' });

  const resumed: ClearingCycleRow[] = [];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const computed = await db.select({ id: clearingCycles.id }).from(clearingCycles).where(eq(clearingCycles.status, 'computed')).orderBy(asc(clearingCycles.seq));
    for (const { id } of computed) {
      const settled = await settleClearingCycle({ db, cycleId: id, hooks });
      if (!resumed.some((c) => c.id === settled.id)) resumed.push(settled);
    }
    const outcome = await tryComputeClearingCycle({ db, trigger, feeBps });
    if (outcome.kind === 'nothing') return { cycle: null, resumed };
    if (outcome.kind === 'computed') return { cycle: await settleClearingCycle({ db, cycleId: outcome.cycle.id, hooks }), resumed };
    // Another run computed a cycle after we looked: settle it too, then try again.
  }
  throw new Error(`clearing: other runs kept computing cycles; gave up after ${MAX_ATTEMPTS} attempts`);
}
