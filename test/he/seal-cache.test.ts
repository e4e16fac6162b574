import type { ClassHandle } from 'node-seal';
import { describe, expect, it } from 'vitest';
import { SealCache } from '../../server/privacy/he/seal-cache.ts';

/** A stand-in for a SEAL object: records its deletion. */
function fakeHandle(): ClassHandle & { deleted: boolean } {
  const handle = {
    deleted: false,
    delete() {
      handle.deleted = true;
    },
    isDeleted: () => handle.deleted,
  };
  return handle as unknown as ClassHandle & { deleted: boolean };
}

const entry = (cache: SealCache, key: string, bytes: number) => {
  const made: ReturnType<typeof fakeHandle>[] = [];
  const lease = cache.obtain(key, (keep) => void made.push(keep(fakeHandle())), () => bytes);
  return { lease, made };
};

describe('SealCache', () => {
  it('hits on the second obtain of a key and evicts the least recently used beyond its bytes', () => {
    const cache = new SealCache(100);
    const a = entry(cache, 'a', 40);
    a.lease.release();
    const b = entry(cache, 'b', 40);
    b.lease.release();
    expect(entry(cache, 'a', 40).lease.hit).toBe(true); // a is now the most recent
    entry(cache, 'c', 40).lease.release();
    expect(b.made[0]!.deleted).toBe(true);
    expect(a.made[0]!.deleted).toBe(false);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 3, entries: 2, evictions: 1 });
  });

  it('never evicts an entry in use, and frees what is too large to keep when it is released', () => {
    const cache = new SealCache(100);
    const pinned = entry(cache, 'pinned', 80);
    entry(cache, 'other', 80).lease.release();
    expect(pinned.made[0]!.deleted).toBe(false);
    pinned.lease.release();
    const huge = entry(cache, 'huge', 500);
    expect(huge.made[0]!.deleted).toBe(false);
    huge.lease.release();
    expect(huge.made[0]!.deleted).toBe(true);
    expect(cache.stats().bytes).toBeLessThanOrEqual(100);
  });

  it('deletes what a failing build made before failing', () => {
    const cache = new SealCache(100);
    const made: ReturnType<typeof fakeHandle>[] = [];
    expect(() =>
      cache.obtain('broken', (keep) => {
        made.push(keep(fakeHandle()));
        throw new Error('encoding failed');
      }),
    ).toThrow('encoding failed');
    expect(made[0]!.deleted).toBe(true);
    expect(cache.stats().entries).toBe(0);
  });
});
