// Rate limits: a token bucket per API key, and per client address for callers without a valid
// key (at a lower rate). The buckets live in this process's memory: with N server processes a
// caller gets up to N times the rate, and a restart refills every bucket. A refused request gets
// 429 with Retry-After; it has not reached GraphQL, so it changed nothing.
import type { RequestHandler } from 'express';
import { sendRefusal } from './refusal.ts';
import type { IdentityOf } from './request-identity.ts';

export interface BucketRate {
  /** Tokens added per second; 0 switches the limit off. */
  perSecond: number;
  /** The bucket's size: how many requests may come at once after a quiet spell. */
  burst: number;
}

export interface RateLimits {
  keyed: BucketRate;
  anonymous: BucketRate;
}

/** Buckets beyond this many are swept of the full ones (callers quiet long enough to refill). */
const SWEEP_ABOVE = 10_000;

export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number; rate: BucketRate }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Takes one token from `key`'s bucket; when there is none, how long until there is. */
  take(key: string, rate: BucketRate): { allowed: true } | { allowed: false; retryAfterMs: number } {
    if (rate.perSecond <= 0) return { allowed: true };
    const now = this.now();
    const bucket = this.#buckets.get(key) ?? { tokens: rate.burst, at: now, rate };
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.at) * rate.perSecond) / 1000);
    bucket.at = now;
    if (!this.#buckets.has(key)) {
      if (this.#buckets.size >= SWEEP_ABOVE) this.#sweep(now);
      this.#buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: ((1 - bucket.tokens) * 1000) / rate.perSecond };
  }

  #sweep(now: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + ((now - b.at) * b.rate.perSecond) / 1000 >= b.rate.burst) this.#buckets.delete(key);
    }
  }
}

export function rateLimit(limits: RateLimits, identityOf: IdentityOf, buckets = new TokenBuckets()): RequestHandler {
  return async (req, res, next) => {
    try {
      const { viewer } = await identityOf(req, res);
      const [key, rate] = viewer ? [`key:${viewer.apiKeyId}`, limits.keyed] : [`ip:${req.ip}`, limits.anonymous];
      const taken = buckets.take(key, rate);
      if (taken.allowed) return next();
      const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
      res.set('Retry-After', String(seconds));
      sendRefusal(res, 429, 'RATE_LIMITED', `too many requests ${viewer ? 'with this API key' : 'from this address without an API key'}: at most ${rate.perSecond} a second (bursts of ${rate.burst}); retry in ${seconds} s`);
    } catch (err) {
      next(err);
    }
  };
}
