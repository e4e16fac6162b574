// Deposits and withdrawals through the payment gateway, each idempotent by the caller's key.
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import type { Viewer } from '../participants/roles.ts';
import { balancesOf, participantAccount, systemAccount } from './accounts.ts';
import type { PaymentGateway } from './payment-gateway.ts';
import { findTransactionByKey, postTransaction, type LedgerTransactionRow } from './post-transaction.ts';

/** 100 million yuan in fen: a sanity bound on one movement, not a business limit. */
const MAX_MOVE_FEN = 10_000_000_000n;

const Input = z.object({
  amountFen: z.bigint().min(1n).max(MAX_MOVE_FEN),
  idempotencyKey: z.string().trim().min(8).max(100),
});

export async function depositFunds(options: { db: Db; gateway: PaymentGateway; actor: Viewer | null; input: z.input<typeof Input> }) {
  return move({ ...options, direction: 'deposit' });
}

export async function withdrawFunds(options: { db: Db; gateway: PaymentGateway; actor: Viewer | null; input: z.input<typeof Input> }) {
  return move({ ...options, direction: 'withdrawal' });
}

async function move({
  db,
  gateway,
  actor,
  input,
  direction,
}: {
  db: Db;
  gateway: PaymentGateway;
  actor: Viewer | null;
  input: z.input<typeof Input>;
  direction: 'deposit' | 'withdrawal';
}): Promise<{ transaction: LedgerTransactionRow; availableFen: bigint; escrowFen: bigint }> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (actor.participantStatus !== 'verified') throw new AppError('NOT_VERIFIED');
  const { amountFen, idempotencyKey } = parseInput(Input, input);
  const key = `${direction}:${actor.participantId}:${idempotencyKey}`;
  const existing = await db.transaction((tx) => findTransactionByKey(tx, key));
  if (existing) {
    if (existing.reference !== `${direction}:${amountFen}`) throw new AppError('IDEMPOTENCY_CONFLICT', { field: 'idempotencyKey' });
    return { transaction: existing, ...(await balancesOf(db, actor.participantId)) };
  }
  // A withdrawal is booked first (it may be refused for funds) and paid out after; a deposit is
  // collected first and booked after. A payout refused by the gateway is reversed.
  const book = async () => {
    try {
      return await bookNow();
    } catch (err) {
      // The same key posted concurrently: the first one wins, the second returns it.
      if (isUniqueViolation(err) === 'ledger_transactions_idempotency_key') return (await db.transaction((tx) => findTransactionByKey(tx, key)))!;
      throw err;
    }
  };
  const bookNow = () =>
    db.transaction(async (tx) => {
      const available = await participantAccount(tx, actor.participantId, 'available');
      const gatewayAccount = await systemAccount(tx, 'gateway');
      const sign = direction === 'deposit' ? 1n : -1n;
      return postTransaction(tx, {
        kind: direction,
        reference: `${direction}:${amountFen}`,
        idempotencyKey: key,
        createdBy: actor.participantId,
        legs: [
          { accountId: available, amountFen: sign * amountFen },
          { accountId: gatewayAccount, amountFen: -sign * amountFen },
        ],
      });
    });
  let transaction: LedgerTransactionRow;
  if (direction === 'deposit') {
    const result = await gateway.collect({ participantId: actor.participantId, amountFen, idempotencyKey: key });
    if (result.status !== 'confirmed') throw new AppError('INVALID_STATE', { message: `the payment gateway refused the deposit: ${result.reason ?? 'no reason given'}` });
    transaction = await book();
  } else {
    transaction = await book();
    const result = await gateway.payout({ participantId: actor.participantId, amountFen, idempotencyKey: key });
    if (result.status !== 'confirmed') {
      await db.transaction(async (tx) => {
        const available = await participantAccount(tx, actor.participantId, 'available');
        await postTransaction(tx, {
          kind: 'withdrawal-reversal',
          reference: `withdrawal-reversal:${transaction.id}`,
          createdBy: actor.participantId,
          legs: [
            { accountId: available, amountFen },
            { accountId: await systemAccount(tx, 'gateway'), amountFen: -amountFen },
          ],
        });
      });
      throw new AppError('INVALID_STATE', { message: `the payment gateway refused the payout: ${result.reason ?? 'no reason given'}` });
    }
  }
  return { transaction, ...(await balancesOf(db, actor.participantId)) };
}
