// The regulator's list of surveillance alerts, newest first.
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { alerts } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import type { AlertRow, AlertRule } from './alert.ts';

export async function listAlerts(options: {
  db: DbHandle;
  actor: Viewer | null;
  status?: AlertRow['status'];
  rule?: AlertRule;
  /** Alerts raised before this instant (paging). */
  before?: Date;
  first?: number;
}): Promise<AlertRow[]> {
  if (!options.actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(options.actor, 'regulator')) throw new AppError('FORBIDDEN');
  const where: SQL[] = [];
  if (options.status) where.push(eq(alerts.status, options.status));
  if (options.rule) where.push(eq(alerts.rule, options.rule));
  if (options.before) where.push(lt(alerts.createdAt, options.before));
  return options.db
    .select()
    .from(alerts)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(alerts.createdAt), desc(alerts.id))
    .limit(Math.min(Math.max(options.first ?? 50, 1), 500));
}
