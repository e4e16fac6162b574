// GraphQL's parser recurses once per level of nesting, so a document nested a few thousand
// levels deep overflows the stack: a RangeError, which yoga answers as an unexpected error with
// HTTP 500. This refuses such a document as one that does not parse (GRAPHQL_PARSE_FAILED, 400
// for every client, like the operation limits: see limits/limit-error.ts).
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useBoundedParse(): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          throw new GraphQLError('Syntax Error: the document is nested too deeply to parse.', { extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400, spec: false } } });
        }
      });
    },
  };
}
