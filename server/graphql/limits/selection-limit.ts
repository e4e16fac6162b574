// Refuses an operation that asks for too many aliases (the "alias bomb": one expensive field
// requested a thousand times under different names) or too many fields in all, counting each
// fragment as often as it is spread.
import { Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { FragmentMemo, measureNested } from './fragment-walk.ts';
import { limitError } from './limit-error.ts';

interface Counts {
  aliases: number;
  fields: number;
}

export function selectionLimitRule(limits: { maxAliases: number; maxFields: number }): ValidationRule {
  return function SelectionLimit(context) {
    const fragments = new FragmentMemo<Counts>((name) => context.getFragment(name));
    const countIn = (selectionSet: SelectionSetNode): Counts => {
      const total: Counts = { aliases: 0, fields: 0 };
      const add = (c: Counts) => {
        total.aliases += c.aliases;
        total.fields += c.fields;
      };
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          add({ aliases: selection.alias ? 1 : 0, fields: 1 });
          if (selection.selectionSet) add(countIn(selection.selectionSet));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          add(countIn(selection.selectionSet));
        } else {
          add(fragments.measure(selection.name.value, '', { aliases: 0, fields: 0 }, (f) => countIn(f.selectionSet)));
        }
      }
      return total;
    };
    return {
      OperationDefinition(operation) {
        const counts = measureNested(() => countIn(operation.selectionSet));
        if (counts === 'too-deep') return; // the depth rule refuses it
        const { aliases, fields } = counts;
        if (aliases > limits.maxAliases) {
          context.reportError(limitError('TOO_MANY_ALIASES', `the operation uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`, operation));
        } else if (fields > limits.maxFields) {
          context.reportError(limitError('TOO_MANY_FIELDS', `the operation selects ${fields} fields; at most ${limits.maxFields} are allowed`, operation));
        }
      },
    };
  };
}
