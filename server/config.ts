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
  })
  .superRefine((env, ctx) => {
    if (env.CHAIN_RPC_URL && !env.CHAIN_SIGNER_KEY) {
      ctx.addIssue({ code: 'custom', path: ['CHAIN_SIGNER_KEY'], message: 'is required when CHAIN_RPC_URL is set' });
    }
    if (env.CLEARING_INTERVAL_MS > 0 && env.CLEARING_INTERVAL_MS < 1000) {
      ctx.addIssue({ code: 'custom', path: ['CLEARING_INTERVAL_MS'], message: 'must be 0 (on demand only) or at least 1000 ms' });
    }
  });

/** Prefixes that belong to the exchange: a variable under one of them that we do not know is a typo. */
const OWN_PREFIXES = ['CHAIN_', 'CLEARING_', 'DATABASE_', 'EXCHANGE_', 'OUTBOX_', 'SEED_'];

export interface Config {
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number };
  dataDir: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; poolSize: number };
  chain:
    | { kind: 'embedded' }
    | { kind: 'rpc'; url: string; signerKey: string; confirmations: number };
  log: { level: string; pretty: boolean };
  seedDemo: boolean;
  outboxIntervalMs: number;
  /** 清算: the exchange's fee in basis points of each gross, and how often cycles run (0 = on demand only). */
  clearing: { feeBps: number; intervalMs: number };
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
    http: { host: e.HOST, port: e.PORT },
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    chain: e.CHAIN_RPC_URL
      ? { kind: 'rpc', url: e.CHAIN_RPC_URL, signerKey: e.CHAIN_SIGNER_KEY!, confirmations: e.CHAIN_CONFIRMATIONS }
      : { kind: 'embedded' },
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY ?? (process.stdout.isTTY === true && e.NODE_ENV !== 'production') },
    seedDemo: e.SEED_DEMO,
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS,
    clearing: { feeBps: e.CLEARING_FEE_BPS, intervalMs: e.CLEARING_INTERVAL_MS },
    projectRoot: PROJECT_ROOT,
  };
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
