// The exchange's configuration, read from the environment once, validated with zod, and
// passed down explicitly. Nothing else in server/ reads process.env.
import path from 'node:path';
import { z } from 'zod';

const HEX_KEY = /^0x[0-9a-fA-F]{64}$/;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every variable the exchange reads, with its default. `.env.example` lists the same. */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATA_DIR: z.string().min(1).default('.data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    CHAIN_RPC_URL: z.url({ protocol: /^(https?|wss?)$/, error: 'must be an http(s) or ws(s) URL' }).optional(),
    CHAIN_SIGNER_KEY: z.string().regex(HEX_KEY, 'must be a 0x-prefixed 32-byte hex private key').optional(),
    CHAIN_CONFIRMATIONS: z.coerce.number().int().min(0).max(64).default(1),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_PRETTY: bool.optional(),
    SEED_DEMO: bool.default(true),
    OUTBOX_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    CLEARING_FEE_BPS: z.coerce.number().int().min(0).max(10_000).default(200),
    CLEARING_INTERVAL_MS: z.coerce.number().int().min(0).max(7 * 86_400_000).default(3_600_000),
    SURVEILLANCE_INTERVAL_MS: z.coerce.number().int().min(0).max(7 * 86_400_000).default(300_000),
    EXCHANGE_MODE: z.enum(['full', 'regulator-readonly']).default('full'),
    EXCHANGE_PRIMARY_URL: z.url({ protocol: /^https?$/, error: "must be the primary's http(s) /graphql URL" }).optional(),
    // Production settings (README): GraphQL operation limits, persisted operations, body sizes,
    // rate limits, CORS and transport security.
    EXCHANGE_GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(12),
    EXCHANGE_GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(30),
    EXCHANGE_GRAPHQL_MAX_FIELDS: z.coerce.number().int().min(1).max(100_000).default(1000),
    EXCHANGE_GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(25_000),
    EXCHANGE_GRAPHQL_INTROSPECTION: bool.optional(),
    EXCHANGE_PERSISTED_OPERATIONS: z.enum(['all', 'only']).default('all'),
    EXCHANGE_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
    EXCHANGE_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(144 * 1024 * 1024),
    EXCHANGE_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(100),
    EXCHANGE_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(1000),
    EXCHANGE_RATE_LIMIT_ANONYMOUS_PER_SECOND: z.coerce.number().min(0).default(30),
    EXCHANGE_RATE_LIMIT_ANONYMOUS_BURST: z.coerce.number().int().min(1).default(300),
    EXCHANGE_CORS_ORIGINS: z
      .string()
      .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be origins such as https://app.example.com, comma-separated (no path)')))
      .default([]),
    EXCHANGE_HSTS_MAX_AGE: z.coerce.number().int().min(0).default(0),
    EXCHANGE_TRUST_PROXY: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.EXCHANGE_MODE === 'regulator-readonly') {
      // docs/regulator-node.md: a replica on PostgreSQL, the same chain read over JSON-RPC, no signer.
      if (!env.DATABASE_URL) ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in regulator-readonly mode (a PostgreSQL replica; PGlite cannot be shared)' });
      if (!env.CHAIN_RPC_URL) ctx.addIssue({ code: 'custom', path: ['CHAIN_RPC_URL'], message: 'is required in regulator-readonly mode (the embedded chain cannot be shared)' });
      if (env.CHAIN_SIGNER_KEY) ctx.addIssue({ code: 'custom', path: ['CHAIN_SIGNER_KEY'], message: 'must not be given in regulator-readonly mode: the node only reads the chain' });
    } else if (env.CHAIN_RPC_URL && !env.CHAIN_SIGNER_KEY) {
      ctx.addIssue({ code: 'custom', path: ['CHAIN_SIGNER_KEY'], message: 'is required when CHAIN_RPC_URL is set' });
    }
    if (env.CLEARING_INTERVAL_MS > 0 && env.CLEARING_INTERVAL_MS < 1000) {
      ctx.addIssue({ code: 'custom', path: ['CLEARING_INTERVAL_MS'], message: 'must be 0 (on demand only) or at least 1000 ms' });
    }
    if (env.SURVEILLANCE_INTERVAL_MS > 0 && env.SURVEILLANCE_INTERVAL_MS < 1000) {
      ctx.addIssue({ code: 'custom', path: ['SURVEILLANCE_INTERVAL_MS'], message: 'must be 0 (on demand only) or at least 1000 ms' });
    }
  });

/** Prefixes that belong to the exchange: a variable under one of them that we do not know is a typo. */
const OWN_PREFIXES = ['CHAIN_', 'CLEARING_', 'DATABASE_', 'EXCHANGE_', 'OUTBOX_', 'SEED_', 'SURVEILLANCE_'];

export interface Config {
  env: 'development' | 'production' | 'test';
  /**
   * `full`: the exchange. `regulator-readonly`: the regulator's node (docs/regulator-node.md) —
   * no migrations, seeding or workers, a read-only database session, the chain without a signer.
   */
  mode: 'full' | 'regulator-readonly';
  /** The primary's /graphql, where a regulator's node forwards supervisory mutations. */
  primaryUrl: string | null;
  http: { host: string; port: number };
  dataDir: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; poolSize: number };
  chain:
    | { kind: 'embedded' }
    | { kind: 'rpc'; url: string; signerKey: string; confirmations: number }
    | { kind: 'rpc-readonly'; url: string };
  log: { level: string; pretty: boolean };
  seedDemo: boolean;
  outboxIntervalMs: number;
  /** 清算: the exchange's fee in basis points of each gross, and how often cycles run (0 = on demand only). */
  clearing: { feeBps: number; intervalMs: number };
  /** 市场风险预警: how often the surveillance rules scan the market (0 = only when a regulator asks). */
  surveillance: { intervalMs: number };
  /** Limits on each GraphQL operation, introspection, and whether only persisted operations run. */
  graphql: {
    maxDepth: number;
    maxAliases: number;
    maxFields: number;
    maxCost: number;
    introspection: boolean;
    persistedOperations: 'all' | 'only';
  };
  /** Protections of the HTTP layer: body sizes, per-process rate limits, CORS, HSTS, proxies. */
  protection: {
    maxBodyBytes: number;
    maxUploadBytes: number;
    rateLimit: { keyed: { perSecond: number; burst: number }; anonymous: { perSecond: number; burst: number } };
    corsOrigins: string[];
    /** Strict-Transport-Security max-age in seconds; 0 sends no header (set it once served over HTTPS only). */
    hstsMaxAgeSeconds: number;
    /** Express's `trust proxy` (a hop count, `loopback`, addresses): whose X-Forwarded-For gives the client address. */
    trustProxy: string | number | boolean;
  };
  projectRoot: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = new Set(Object.keys(EnvSchema.shape));
  const problems: { variable: string; message: string }[] = [];
  for (const name of Object.keys(env)) {
    if (OWN_PREFIXES.some((p) => name.startsWith(p)) && !known.has(name)) {
      const hint = [...known].find((k) => similar(k, name));
      problems.push({ variable: name, message: `unknown variable${hint ? ` (did you mean ${hint}?)` : ''}` });
    }
  }
  const input = Object.fromEntries(
    [...known].map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = EnvSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ variable: String(issue.path[0] ?? '?'), message: issue.message });
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const e = parsed.data;
  const dataDir = path.resolve(PROJECT_ROOT, e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    mode: e.EXCHANGE_MODE,
    primaryUrl: e.EXCHANGE_PRIMARY_URL ?? null,
    http: { host: e.HOST, port: e.PORT },
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    chain: !e.CHAIN_RPC_URL
      ? { kind: 'embedded' }
      : e.EXCHANGE_MODE === 'regulator-readonly'
        ? { kind: 'rpc-readonly', url: e.CHAIN_RPC_URL }
        : { kind: 'rpc', url: e.CHAIN_RPC_URL, signerKey: e.CHAIN_SIGNER_KEY!, confirmations: e.CHAIN_CONFIRMATIONS },
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY ?? (process.stdout.isTTY === true && e.NODE_ENV !== 'production') },
    seedDemo: e.SEED_DEMO,
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS,
    clearing: { feeBps: e.CLEARING_FEE_BPS, intervalMs: e.CLEARING_INTERVAL_MS },
    surveillance: { intervalMs: e.SURVEILLANCE_INTERVAL_MS },
    graphql: {
      maxDepth: e.EXCHANGE_GRAPHQL_MAX_DEPTH,
      maxAliases: e.EXCHANGE_GRAPHQL_MAX_ALIASES,
      maxFields: e.EXCHANGE_GRAPHQL_MAX_FIELDS,
      maxCost: e.EXCHANGE_GRAPHQL_MAX_COST,
      introspection: e.EXCHANGE_GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
      persistedOperations: e.EXCHANGE_PERSISTED_OPERATIONS,
    },
    protection: {
      maxBodyBytes: e.EXCHANGE_MAX_BODY_BYTES,
      maxUploadBytes: Math.max(e.EXCHANGE_MAX_UPLOAD_BYTES, e.EXCHANGE_MAX_BODY_BYTES),
      rateLimit: {
        keyed: { perSecond: e.EXCHANGE_RATE_LIMIT_PER_SECOND, burst: e.EXCHANGE_RATE_LIMIT_BURST },
        anonymous: { perSecond: e.EXCHANGE_RATE_LIMIT_ANONYMOUS_PER_SECOND, burst: e.EXCHANGE_RATE_LIMIT_ANONYMOUS_BURST },
      },
      corsOrigins: e.EXCHANGE_CORS_ORIGINS,
      hstsMaxAgeSeconds: e.EXCHANGE_HSTS_MAX_AGE,
      trustProxy: trustProxySetting(e.EXCHANGE_TRUST_PROXY),
    },
    projectRoot: PROJECT_ROOT,
  };
}

/** EXCHANGE_TRUST_PROXY as express takes it: unset is false, a number is a hop count. */
function trustProxySetting(value: string | undefined): string | number | boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Edit distance of at most two: enough to catch a slipped or swapped letter. */
function similar(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  return d[a.length]![b.length]! <= 2;
}
