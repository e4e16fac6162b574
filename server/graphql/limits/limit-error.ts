// The refusal every operation limit gives: a GraphQL error with a stable code, sent as HTTP 400
// (yoga reads `extensions.http` and strips it from the answer). `spec: false` keeps the 400 for
// clients that accept only application/json, to whom yoga would otherwise answer validation
// errors with 200, as the GraphQL-over-HTTP spec allows for that media type.
import { GraphQLError, type ASTNode } from 'graphql';

export type LimitCode = 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_FIELDS' | 'QUERY_TOO_COSTLY' | 'INTROSPECTION_DISABLED';

export function limitError(code: LimitCode, message: string, node?: ASTNode): GraphQLError {
  return new GraphQLError(message, { nodes: node ? [node] : undefined, extensions: { code, http: { status: 400, spec: false } } });
}
