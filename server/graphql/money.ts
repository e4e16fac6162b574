// Money in the API: amounts are fen (分), as BigInt strings, with a yuan rendering for people.
import { builder } from './builder.ts';

export interface Money {
  fen: bigint;
}

export const MoneyRef = builder.objectRef<Money>('Money').implement({
  description: 'An amount of CNY in fen (1 yuan = 100 fen)',
  fields: (t) => ({
    fen: t.field({ type: 'BigInt', resolve: (m) => m.fen }),
    yuan: t.string({ description: 'The amount in yuan with two decimals', resolve: (m) => formatYuan(m.fen) }),
  }),
});

export function money(fen: bigint): Money {
  return { fen };
}

export function formatYuan(fen: bigint): string {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
