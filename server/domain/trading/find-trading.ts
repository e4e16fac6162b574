// Reading orders, trades and licences: each party sees its own; operator and regulator see all.
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { DbHandle } from '../../db/client.ts';
import { licences, orders, trades } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import type { LicenceRow, OrderRow, TradeRow } from './accept-order.ts';

type Party = { buyerId: string; providerId: string };

function supervises(viewer: Viewer | null): boolean {
  return actsAs(viewer, 'operator') || actsAs(viewer, 'regulator') || actsAs(viewer, 'arbiter');
}

function canSee(viewer: Viewer | null, row: Party): boolean {
  return !!viewer && (supervises(viewer) || row.buyerId === viewer.participantId || row.providerId === viewer.participantId);
}

async function byId<T extends Party>(db: DbHandle, table: PgTable & { id: PgColumn }, id: string, viewer: Viewer | null, field: string): Promise<T> {
  requireUuid(id, field);
  const [row] = (await db.select().from(table as never).where(eq(table.id, id))) as T[];
  if (!row || !canSee(viewer, row)) throw new AppError('NOT_FOUND', { field });
  return row;
}

export const getOrder = ({ db, actor, id }: { db: DbHandle; actor: Viewer | null; id: string }) => byId<OrderRow>(db, orders, id, actor, 'orderId');
export const getTrade = ({ db, actor, id }: { db: DbHandle; actor: Viewer | null; id: string }) => byId<TradeRow>(db, trades, id, actor, 'tradeId');
export const getLicence = ({ db, actor, id }: { db: DbHandle; actor: Viewer | null; id: string }) => byId<LicenceRow>(db, licences, id, actor, 'licenceId');

export async function getManyByIds<T extends Party & { id: string }>(
  db: DbHandle,
  table: typeof orders | typeof trades | typeof licences,
  ids: readonly string[],
  viewer: Viewer | null,
): Promise<(T | null)[]> {
  const rows = ids.length ? ((await db.select().from(table).where(inArray(table.id, [...ids]))) as unknown as T[]) : [];
  const visible = new Map(rows.filter((r) => canSee(viewer, r)).map((r) => [r.id, r]));
  return ids.map((id) => visible.get(id) ?? null);
}

export interface ListOptions {
  db: DbHandle;
  actor: Viewer | null;
  /** Whose side: the caller as buyer, as provider, or everything (operator, regulator). */
  side: 'buyer' | 'provider' | 'all';
  first: number;
  /** Keyset cursor: the last row's id. */
  after?: string;
}

async function list<T extends { id: string; createdAt: Date }>(
  options: ListOptions,
  table: typeof orders | typeof trades | typeof licences,
  extra: SQL[] = [],
): Promise<T[]> {
  const { db, actor, side } = options;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const where: SQL[] = [...extra];
  if (side === 'all') {
    if (!supervises(actor)) throw new AppError('FORBIDDEN');
  } else where.push(eq(side === 'buyer' ? table.buyerId : table.providerId, actor.participantId));
  if (options.after) {
    requireUuid(options.after, 'after');
    const [cursor] = await db.select({ createdAt: table.createdAt }).from(table).where(eq(table.id, options.after));
    if (!cursor) throw new AppError('INVALID_INPUT', { field: 'after', message: 'after: unknown cursor' });
    where.push(or(lt(table.createdAt, cursor.createdAt), and(eq(table.createdAt, cursor.createdAt), lt(table.id, options.after)))!);
  }
  return (await db
    .select()
    .from(table)
    .where(and(...where))
    .orderBy(desc(table.createdAt), desc(table.id))
    .limit(Math.min(Math.max(options.first, 1), 200))) as unknown as T[];
}

export const listOrders = (o: ListOptions & { status?: OrderRow['status'] }) => list<OrderRow>(o, orders, o.status ? [eq(orders.status, o.status)] : []);
export const listTrades = (o: ListOptions) => list<TradeRow>(o, trades);
export const listLicences = (o: ListOptions) => list<LicenceRow>(o, licences);
