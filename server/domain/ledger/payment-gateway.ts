// The integration point with the outside money system: a bank's corporate API or an e-CNY
// (数字人民币) operator. The exchange asks the gateway to collect a deposit or pay out a
// withdrawal and books the result in the ledger against its `gateway` account. The local
// implementation below confirms at once; a real one implements the same interface.

export interface GatewayResult {
  /** The gateway's own reference for reconciliation. */
  gatewayRef: string;
  status: 'confirmed' | 'refused';
  reason?: string;
}

export interface PaymentGateway {
  readonly name: string;
  /** Collects money from the participant's bank account or wallet into the exchange's. */
  collect(request: { participantId: string; amountFen: bigint; idempotencyKey: string }): Promise<GatewayResult>;
  /** Pays money out to the participant's bank account or wallet. */
  payout(request: { participantId: string; amountFen: bigint; idempotencyKey: string }): Promise<GatewayResult>;
}

/** Stands in for a bank: confirms every request at once, idempotently by key. */
export class LocalPaymentGateway implements PaymentGateway {
  readonly name = 'local';
  private readonly seen = new Map<string, GatewayResult>();

  async collect(request: { participantId: string; amountFen: bigint; idempotencyKey: string }): Promise<GatewayResult> {
    return this.once(`collect:${request.idempotencyKey}`);
  }

  async payout(request: { participantId: string; amountFen: bigint; idempotencyKey: string }): Promise<GatewayResult> {
    return this.once(`payout:${request.idempotencyKey}`);
  }

  private once(key: string): GatewayResult {
    let result = this.seen.get(key);
    if (!result) {
      result = { gatewayRef: `local-${this.seen.size + 1}-${Date.now()}`, status: 'confirmed' };
      this.seen.set(key, result);
    }
    return result;
  }
}
