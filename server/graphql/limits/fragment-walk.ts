// Measuring an operation through its fragment spreads without expanding them: each fragment is
// measured once and its figure reused, so a "fragment bomb" (fragments spreading each other
// many times over) costs linear time to measure while its figures grow as the expansion would.
// A spread already on the path (a cycle, which NoFragmentCyclesRule reports) counts as nothing.
import type { FragmentDefinitionNode } from 'graphql';

/** Fragments spread within fragments deeper than this are refused rather than measured. */
export const MAX_FRAGMENT_NESTING = 50;

class TooDeeplyNested extends Error {}

/**
 * Runs a measurement that recurses once per level of nesting: a document nested beyond what
 * can be measured (fragments chained deeper than MAX_FRAGMENT_NESTING, or a stack overflow on
 * selections nested thousands deep) gives 'too-deep' instead of an unexpected error (HTTP 500).
 */
export function measureNested<T>(measure: () => T): T | 'too-deep' {
  try {
    return measure();
  } catch (err) {
    if (err instanceof TooDeeplyNested || err instanceof RangeError) return 'too-deep';
    throw err;
  }
}

export class FragmentMemo<T> {
  readonly #figures = new Map<string, T>();
  readonly #onPath = new Set<string>();

  constructor(private readonly fragment: (name: string) => FragmentDefinitionNode | null | undefined) {}

  /** The figure for a spread of `name` under `key` (what else the figure depends on), or `empty`. */
  measure(name: string, key: string, empty: T, measureFragment: (fragment: FragmentDefinitionNode) => T): T {
    const memoKey = `${name}\u0000${key}`;
    const known = this.#figures.get(memoKey);
    if (known !== undefined) return known;
    const fragment = this.fragment(name);
    if (!fragment || this.#onPath.has(name)) return empty;
    if (this.#onPath.size >= MAX_FRAGMENT_NESTING) throw new TooDeeplyNested();
    this.#onPath.add(name);
    try {
      const figure = measureFragment(fragment);
      this.#figures.set(memoKey, figure);
      return figure;
    } finally {
      this.#onPath.delete(name);
    }
  }
}

/**
 * Introspection (`__schema`, `__type`) is left out of depth and cost, as GraphiQL's own
 * introspection query is deeper than any application query; it is bounded by the alias and
 * field-count limits instead, and switched off in production (EXCHANGE_GRAPHQL_INTROSPECTION).
 * `__typename` costs nothing.
 */
export function isMetaField(name: string): boolean {
  return name.startsWith('__');
}
