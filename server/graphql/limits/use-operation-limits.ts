// The operation limits as a yoga plugin. Depth, aliases and fields, and introspection are
// validation rules added to yoga's validation, whose results yoga caches per document. The cost
// rule depends on the request's variables (page sizes), so it runs per request, on its own,
// before execution, where the variables are known.
import { validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { costLimitRule } from './cost-limit.ts';
import { depthLimitRule } from './depth-limit.ts';
import { NoIntrospection } from './introspection.ts';
import { selectionLimitRule } from './selection-limit.ts';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxFields: number;
  maxCost: number;
  introspection: boolean;
}

export function useOperationLimits(limits: OperationLimits): Plugin {
  const depth = depthLimitRule(limits.maxDepth);
  const selections = selectionLimitRule(limits);
  const checkCost = ({ args, setResultAndStopExecution }: { args: { schema: GraphQLSchema; document: DocumentNode; variableValues?: unknown }; setResultAndStopExecution: (result: { errors: readonly Error[] }) => void }) => {
    const variables = args.variableValues && typeof args.variableValues === 'object' ? (args.variableValues as Record<string, unknown>) : {};
    const errors = validate(args.schema, args.document, [costLimitRule(limits.maxCost, variables)]);
    if (errors.length > 0) setResultAndStopExecution({ errors });
  };
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(depth);
      addValidationRule(selections);
      if (!limits.introspection) addValidationRule(NoIntrospection);
    },
    onExecute: checkCost as never,
    onSubscribe: checkCost as never,
  };
}
