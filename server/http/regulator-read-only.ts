// The regulator's read-only node (EXCHANGE_MODE=regulator-readonly, docs/regulator-node.md):
// a second server on a replica of the database and the same chain, for regulators only. Every
// request must come from a regulator's key; queries are served from the replica; of the
// mutations only the supervisory ones pass, and with a primary configured they are forwarded
// to it (the replica takes no writes). The check runs before execution, so a refused request
// reads nothing.
import { GraphQLError, Kind, print, type DocumentNode, type ExecutionResult, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { actsAs } from '../domain/participants/roles.ts';
import type { GraphQLContext } from '../graphql/builder.ts';

/** The mutations a regulator's node serves: supervision and the audit, nothing else. */
export const REGULATOR_NODE_MUTATIONS: ReadonlySet<string> = new Set([
  'suspendParticipant',
  'reinstateParticipant',
  'freezeLicence',
  'unfreezeLicence',
  'superviseDataset',
  'acknowledgeAlert',
  'scanMarket',
  'runFullAudit',
]);

function refuse(code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string) {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

function operationOf(document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return name ? operations.find((o) => o.name?.value === name) : operations.length === 1 ? operations[0] : undefined;
}

/** The root fields an operation selects, through inline fragments and fragment spreads. */
function rootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  return selectionSet.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s.name.value];
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFields(s.selectionSet, fragments, seen);
    const fragment = fragments.get(s.name.value);
    if (!fragment || seen.has(s.name.value)) return [];
    seen.add(s.name.value);
    return rootFields(fragment.selectionSet, fragments, seen);
  });
}

export interface RegulatorNodeOptions {
  /** The primary exchange's GraphQL endpoint: supervisory mutations are sent there with the caller's key. */
  primaryUrl?: string;
  /** How to reach it (tests give their own). */
  fetch?: typeof fetch;
  /**
   * Without a primary, run supervisory mutations on this node's own database (default true: a
   * node on a writable database). A node on a read-only replica passes false, and they are refused.
   */
  supervisionWithoutPrimary?: boolean;
}

export function useRegulatorReadOnly(options: RegulatorNodeOptions = {}): Plugin<GraphQLContext> {
  const send = options.fetch ?? fetch;
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as GraphQLContext & { request?: Request; params?: { query?: string; extensions?: Record<string, unknown> } };
      if (!ctx.viewer) return setResultAndStopExecution(refuse('UNAUTHENTICATED', "this is a regulator's node: a regulator's API key is required"));
      if (!actsAs(ctx.viewer, 'regulator')) return setResultAndStopExecution(refuse('FORBIDDEN', "this is a regulator's node: only regulators may use it"));
      const document = args.document as DocumentNode;
      const operation = operationOf(document, args.operationName);
      if (!operation || operation.operation === 'query') return;
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      const refused = rootFields(operation.selectionSet, fragments).filter((f) => f !== '__typename' && !REGULATOR_NODE_MUTATIONS.has(f));
      if (operation.operation !== 'mutation' || refused.length > 0) {
        return setResultAndStopExecution(
          refuse('FORBIDDEN', `this is a read-only regulator's node: ${refused.join(', ') || operation.operation} is served by the exchange's primary nodes`),
        );
      }
      if (!options.primaryUrl) {
        if (options.supervisionWithoutPrimary !== false) return;
        return setResultAndStopExecution(refuse('FORBIDDEN', "this regulator's node reads a replica and has no primary configured (EXCHANGE_PRIMARY_URL): take supervisory actions on the exchange"));
      }
      try {
        const res = await send(options.primaryUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: ctx.request?.headers.get('authorization') ?? '' },
          // The caller's own text (or persisted-operation hash), so that a primary that accepts
          // only allow-listed operations recognises it; a reprint would differ from the original.
          body: JSON.stringify({
            query: ctx.params?.query ?? print(document),
            variables: args.variableValues ?? {},
            operationName: args.operationName ?? undefined,
            extensions: ctx.params?.extensions,
          }),
        });
        setResultAndStopExecution((await res.json()) as ExecutionResult);
      } catch (err) {
        setResultAndStopExecution({ errors: [new GraphQLError(`the primary exchange did not answer: ${(err as Error).message}`, { extensions: { code: 'PRIMARY_UNREACHABLE' } })] });
      }
    },
  };
}
