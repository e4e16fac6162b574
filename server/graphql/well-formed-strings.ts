// A JSON body may carry strings that are not Unicode: a lone UTF-16 surrogate ("\udfff") parses
// as JSON but cannot be stored (PostgreSQL refuses it deep inside a transaction, an unexpected
// error). GraphQL's lexer already refuses such literals in a document; this refuses them in the
// variables, keys included, before anything runs.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isWellFormed = (s: string) => !LONE_SURROGATE.test(s);

/** Whether every string in a JSON value, at any depth, is well-formed; walked without recursion. */
function wellFormed(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return false;
    } else if (Array.isArray(v)) {
      for (const x of v) pending.push(x);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (!isWellFormed(k)) return false;
        pending.push(x);
      }
    }
  }
  return true;
}

export function useWellFormedStrings(): Plugin {
  return {
    onParams({ params }) {
      if (!wellFormed(params.variables)) {
        throw new GraphQLError('Variables must be well-formed Unicode (no lone surrogates).', { extensions: { code: 'INVALID_INPUT', http: { status: 400 } } });
      }
    },
  };
}
