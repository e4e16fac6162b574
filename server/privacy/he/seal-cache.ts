// SEAL objects kept between queries, in an LRU bounded in bytes. Two uses:
//   the plaintext cache — the provider's data encoded (and NTT-transformed) for the
//     evaluator, under a key the caller gives, e.g. `${versionId}:${column}:${groupCount}`:
//     a new dataset version gets a new key, and the old entries age out;
//   the key cache — a buyer's evaluation keys loaded into SEAL, under their keysDigest (which
//     every query re-checks against the bytes it carries), so a buyer's next query skips
//     inflating and loading megabytes of Galois keys.
// The objects live in the wasm memory of the thread that made them, so each pool worker has
// its own caches; entries are deleted when evicted.
//
// An evaluation obtains its entries, uses them synchronously and releases them in its
// finally; a pinned entry is never evicted, so eviction cannot free an object in use.

import type { ClassHandle, Plaintext } from 'node-seal';

interface Entry {
  objects: ClassHandle[];
  bytes: number;
  pins: number;
}

export interface SealCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
  maxBytes: number;
  evictions: number;
}

export interface CacheLease<T extends ClassHandle> {
  objects: T[];
  hit: boolean;
  /** Unpins the entry (or deletes the objects, when they were too large to keep). */
  release(): void;
}

/**
 * Makes the objects of one entry, handing each to `keep` as soon as it exists (so that the
 * ones made before a failure are deleted), in the order the evaluator reads them.
 */
export type SealObjectBuilder<T extends ClassHandle> = (keep: <U extends T>(object: U) => U) => void;

function collect<T extends ClassHandle>(build: SealObjectBuilder<T>): T[] {
  const objects: T[] = [];
  try {
    build((object) => {
      objects.push(object);
      return object;
    });
    return objects;
  } catch (error) {
    deleteAll(objects);
    throw error;
  }
}

/** Bytes a plaintext holds in wasm memory: one 64-bit word per coefficient (per prime in NTT form). */
export function plaintextBytes(plain: Plaintext): number {
  return plain.coeffCount() * 8;
}

export class SealCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(readonly maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError('maxBytes must be a non-negative integer');
  }

  /**
   * The objects cached under `key`, or `build()`'s, cached if they fit (`bytes` measures them;
   * plaintexts are measured by default). Call `release()` when done (in a finally), and do
   * not keep the objects past it.
   */
  obtain<T extends ClassHandle>(
    key: string,
    build: SealObjectBuilder<T>,
    bytes: (objects: T[]) => number = (objects) => (objects as unknown as Plaintext[]).reduce((sum, plain) => sum + plaintextBytes(plain), 0),
  ): CacheLease<T> {
    const cached = this.#entries.get(key);
    if (cached) {
      this.#hits++;
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      cached.pins++;
      return { objects: cached.objects as T[], hit: true, release: () => this.#unpin(cached) };
    }
    this.#misses++;
    const objects = collect(build);
    const size = bytes(objects);
    if (size > this.maxBytes) {
      return { objects, hit: false, release: () => deleteAll(objects) };
    }
    const entry: Entry = { objects, bytes: size, pins: 1 };
    this.#entries.set(key, entry);
    this.#bytes += size;
    this.#evictUntilWithin();
    return { objects, hit: false, release: () => this.#unpin(entry) };
  }

  stats(): SealCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      entries: this.#entries.size,
      bytes: this.#bytes,
      maxBytes: this.maxBytes,
      evictions: this.#evictions,
    };
  }

  /** Deletes every unpinned entry. */
  clear(): void {
    for (const [key, entry] of this.#entries) {
      if (entry.pins === 0) this.#remove(key, entry);
    }
  }

  #unpin(entry: Entry): void {
    entry.pins = Math.max(0, entry.pins - 1);
    this.#evictUntilWithin();
  }

  #evictUntilWithin(): void {
    if (this.#bytes <= this.maxBytes) return;
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      if (entry.pins > 0) continue;
      this.#remove(key, entry);
      this.#evictions++;
    }
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    deleteAll(entry.objects);
  }
}

function deleteAll(objects: readonly ClassHandle[]): void {
  for (const object of objects) if (!object.isDeleted()) object.delete();
}

/**
 * Obtains from `cache` under `key` when both are given; otherwise builds objects that the
 * lease deletes on release.
 */
export function obtainFrom<T extends ClassHandle>(
  cache: SealCache | undefined,
  key: string | undefined,
  build: SealObjectBuilder<T>,
  bytes?: (objects: T[]) => number,
): CacheLease<T> {
  if (cache && key !== undefined) return cache.obtain(key, build, bytes);
  const objects = collect(build);
  return { objects, hit: false, release: () => deleteAll(objects) };
}

/** The caches an evaluation may use; without them it builds and frees everything itself. */
export interface EvaluationCaches {
  /** The plaintext cache: encoded provider data under the caller's cache key. */
  plaintexts?: SealCache;
  /** Loaded evaluation keys under their keysDigest. */
  keys?: SealCache;
}
