import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

function problems(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs on embedded defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c.database.kind).toBe('pglite');
    expect(c.chain.kind).toBe('embedded');
    expect(c.http.port).toBe(4000);
    expect(c.dataDir.endsWith('.data')).toBe(true);
  });

  it('switches to PostgreSQL and to an external chain', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/x',
      CHAIN_RPC_URL: 'http://besu:8545',
      CHAIN_SIGNER_KEY: '0x' + '11'.repeat(32),
    });
    expect(c.database).toMatchObject({ kind: 'postgres', url: 'postgres://u:p@db:5432/x' });
    expect(c.chain).toMatchObject({ kind: 'rpc', url: 'http://besu:8545' });
  });

  it('names the variable of a malformed value', () => {
    expect(problems({ PORT: 'eighty' }).map((p) => p.variable)).toEqual(['PORT']);
    expect(problems({ DATABASE_URL: 'mysql://x' }).map((p) => p.variable)).toEqual(['DATABASE_URL']);
    expect(problems({ CHAIN_RPC_URL: 'ftp://x' }).map((p) => p.variable)).toContain('CHAIN_RPC_URL');
    expect(problems({ LOG_LEVEL: 'loud' }).map((p) => p.variable)).toEqual(['LOG_LEVEL']);
  });

  it('needs a signer key with an external chain, and a well-formed one', () => {
    expect(problems({ CHAIN_RPC_URL: 'http://besu:8545' })).toEqual([
      { variable: 'CHAIN_SIGNER_KEY', message: 'is required when CHAIN_RPC_URL is set' },
    ]);
    expect(problems({ CHAIN_RPC_URL: 'http://besu:8545', CHAIN_SIGNER_KEY: '0x12' }).map((p) => p.variable)).toEqual(['CHAIN_SIGNER_KEY']);
  });

  it('refuses an unknown variable of its own, suggesting the likely one', () => {
    const p = problems({ CHAIN_RPC_ULR: 'http://x' });
    expect(p).toEqual([{ variable: 'CHAIN_RPC_ULR', message: 'unknown variable (did you mean CHAIN_RPC_URL?)' }]);
  });

  it("configures the regulator's read-only node: a PostgreSQL replica, the chain over JSON-RPC, no signer", () => {
    const c = loadConfig({ EXCHANGE_MODE: 'regulator-readonly', DATABASE_URL: 'postgres://ro@replica/x', CHAIN_RPC_URL: 'http://besu:8545', EXCHANGE_PRIMARY_URL: 'https://exchange.example/graphql' });
    expect(c).toMatchObject({ mode: 'regulator-readonly', primaryUrl: 'https://exchange.example/graphql', chain: { kind: 'rpc-readonly', url: 'http://besu:8545' } });
    expect(loadConfig({}).mode).toBe('full');
    expect(problems({ EXCHANGE_MODE: 'regulator-readonly' }).map((p) => p.variable)).toEqual(['DATABASE_URL', 'CHAIN_RPC_URL']);
    expect(problems({ EXCHANGE_MODE: 'regulator-readonly', DATABASE_URL: 'postgres://x/y', CHAIN_RPC_URL: 'http://besu:8545', CHAIN_SIGNER_KEY: '0x' + '11'.repeat(32) }).map((p) => p.variable)).toEqual([
      'CHAIN_SIGNER_KEY',
    ]);
    expect(problems({ EXCHANGE_MODE: 'auditor' }).map((p) => p.variable)).toEqual(['EXCHANGE_MODE']);
    expect(problems({ EXCHANGE_PRIMARY_URL: 'ftp://x' }).map((p) => p.variable)).toEqual(['EXCHANGE_PRIMARY_URL']);
  });

  it('scans the market every five minutes unless told otherwise', () => {
    expect(loadConfig({}).surveillance.intervalMs).toBe(300_000);
    expect(loadConfig({ SURVEILLANCE_INTERVAL_MS: '0' }).surveillance.intervalMs).toBe(0);
    expect(problems({ SURVEILLANCE_INTERVAL_MS: '10' }).map((p) => p.variable)).toEqual(['SURVEILLANCE_INTERVAL_MS']);
  });

  it('ignores variables that are not its own', () => {
    expect(problems({ HOME: '/root', PATH: '/bin', npm_config_x: '1' })).toEqual([]);
  });
});
