// 审计日志 for the regulator: search the hash-chained log and check the chain.
import { searchAuditLog, verifyAuditChain, type AuditEntryRow } from '../domain/audit/audit-log.ts';
import { builder } from './builder.ts';

const AuditEntryRef = builder.objectRef<AuditEntryRow>('AuditEntry').implement({
  description: 'One security-relevant action; hash covers prevHash, so the log is a chain',
  fields: (t) => ({
    seq: t.field({ type: 'BigInt', resolve: (e) => e.seq }),
    at: t.expose('at', { type: 'DateTime' }),
    actorId: t.exposeString('actorId', { nullable: true }),
    apiKeyId: t.exposeString('apiKeyId', { nullable: true }),
    action: t.exposeString('action'),
    subjectKind: t.exposeString('subjectKind', { nullable: true }),
    subjectId: t.exposeString('subjectId', { nullable: true }),
    details: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.details ?? null }),
    prevHash: t.exposeString('prevHash'),
    hash: t.exposeString('hash'),
  }),
});

const ChainCheckRef = builder.objectRef<{ entries: number; brokenAt: bigint | null; problem: string | null }>('AuditChainCheck').implement({
  fields: (t) => ({
    entries: t.exposeInt('entries'),
    intact: t.boolean({ resolve: (c) => c.brokenAt === null }),
    brokenAt: t.field({ type: 'BigInt', nullable: true, resolve: (c) => c.brokenAt }),
    problem: t.exposeString('problem', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.field({
    type: [AuditEntryRef],
    description: 'The audit log, newest first, with filters (regulator, operator). CSV: GET /regulator/audit-log.csv with the same filters.',
    authScopes: { $any: { regulator: true, operator: true } },
    errors: {},
    args: {
      action: t.arg.string(),
      actorId: t.arg.string(),
      subjectKind: t.arg.string(),
      subjectId: t.arg.string(),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
      before: t.arg({ type: 'BigInt', description: 'Entries with a smaller seq (paging)' }),
      first: t.arg.int(),
    },
    resolve: (_r, a, ctx) =>
      searchAuditLog({
        db: ctx.services.db,
        actor: ctx.viewer,
        search: {
          action: a.action ?? undefined,
          actorId: a.actorId ?? undefined,
          subjectKind: a.subjectKind ?? undefined,
          subjectId: a.subjectId ?? undefined,
          from: a.from ?? undefined,
          to: a.to ?? undefined,
          before: a.before ?? undefined,
          first: a.first ?? undefined,
        },
      }),
  }),
  auditChain: t.field({
    type: ChainCheckRef,
    description: 'Recompute the whole hash chain of the audit log',
    authScopes: { $any: { regulator: true, operator: true } },
    errors: {},
    resolve: (_r, _a, ctx) => verifyAuditChain({ db: ctx.services.db, actor: ctx.viewer }),
  }),
}));
