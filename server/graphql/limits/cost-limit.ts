// Refuses an operation whose estimated cost exceeds `maxCost`. Every field costs 1; a field with
// a page-size argument (`first`, `last`, `limit`) multiplies what is below it by that size, and
// a list without one by DEFAULT_LIST_SIZE. A page size counts once: the list it sizes (a
// connection's `edges`, a result's `data`) is not multiplied again. The sizes come from the
// literal, the request's variables, the variable's default or the argument's schema default.
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { FragmentMemo, isMetaField, measureNested } from './fragment-walk.ts';
import { limitError } from './limit-error.ts';

/** What an unsized list is assumed to hold. */
export const DEFAULT_LIST_SIZE = 10;
const PAGE_ARGUMENTS = ['first', 'last', 'limit'];

export function costLimitRule(maxCost: number, variables: Record<string, unknown>): ValidationRule {
  return function CostLimit(context) {
    const schema = context.getSchema();
    let operation: OperationDefinitionNode | null = null;

    const intValue = (node: ValueNode): number | null => {
      if (node.kind === Kind.INT) return Number(node.value);
      if (node.kind !== Kind.VARIABLE) return null;
      const name = node.name.value;
      if (typeof variables[name] === 'number') return variables[name];
      const declared = operation?.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
      return declared?.kind === Kind.INT ? Number(declared.value) : null;
    };

    const pageSize = (node: FieldNode, field: GraphQLField<unknown, unknown>): number | null => {
      for (const name of PAGE_ARGUMENTS) {
        const given = node.arguments?.find((a) => a.name.value === name);
        const size = given ? intValue(given.value) : field.args.find((a) => a.name === name)?.defaultValue;
        if (typeof size === 'number' && Number.isFinite(size)) return Math.max(0, size);
      }
      return null;
    };

    const fragments = new FragmentMemo<number>((name) => context.getFragment(name));

    /** `sized`: a page size above has not yet been spent on a list. */
    const costOf = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, sized: boolean): number => {
      let cost = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          cost += costOf(selection.selectionSet, type ?? undefined, sized);
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          cost += fragments.measure(selection.name.value, String(sized), 0, (f) => costOf(f.selectionSet, schema.getType(f.typeCondition.name.value) ?? undefined, sized));
        } else if (!isMetaField(selection.name.value)) {
          cost += fieldCost(selection, parent, sized);
        }
      }
      return cost;
    };

    const fieldCost = (node: FieldNode, parent: GraphQLNamedType | undefined, sized: boolean): number => {
      const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[node.name.value] : undefined;
      if (!field || !node.selectionSet) return 1;
      const isList = isListType(getNullableType(field.type));
      const size = pageSize(node, field);
      let multiplier = 1;
      let sizedBelow = sized;
      if (size !== null) {
        multiplier = size;
        sizedBelow = !isList; // a sized list spends its size here; a connection passes it down
      } else if (isList) {
        multiplier = sized ? 1 : DEFAULT_LIST_SIZE;
        sizedBelow = false;
      }
      return 1 + multiplier * costOf(node.selectionSet, getNamedType(field.type), sizedBelow);
    };

    return {
      OperationDefinition(node) {
        operation = node;
        const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
        const cost = measureNested(() => costOf(node.selectionSet, root ?? undefined, false));
        if (cost === 'too-deep') {
          context.reportError(limitError('QUERY_TOO_COSTLY', 'the operation is nested too deeply to estimate its cost', node));
        } else if (cost > maxCost) {
          context.reportError(limitError('QUERY_TOO_COSTLY', `the operation's estimated cost is ${cost}; at most ${maxCost} is allowed (lists count their page size: ask for fewer items)`, node));
        }
      },
    };
  };
}
