// Refuses an operation nested deeper than `maxDepth` fields (root fields are depth 1; fragments
// and inline fragments add no depth of their own). Inline fragments directly inside inline
// fragments add no fields but still nest the executor's recursion: more than
// MAX_INLINE_FRAGMENT_RUN of them in a row are refused too (a union answer needs one or two).
import { Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { FragmentMemo, isMetaField, MAX_FRAGMENT_NESTING, measureNested } from './fragment-walk.ts';
import { limitError } from './limit-error.ts';

export const MAX_INLINE_FRAGMENT_RUN = 8;

export function depthLimitRule(maxDepth: number): ValidationRule {
  return function DepthLimit(context) {
    const fragments = new FragmentMemo<number>((name) => context.getFragment(name));
    let inlineRunTooLong = false;
    const depthOf = (selectionSet: SelectionSetNode, inlineRun = 0): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (isMetaField(selection.name.value)) continue;
          deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet) : 0));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (inlineRun + 1 > MAX_INLINE_FRAGMENT_RUN) {
            inlineRunTooLong = true;
            continue;
          }
          deepest = Math.max(deepest, depthOf(selection.selectionSet, inlineRun + 1));
        } else {
          deepest = Math.max(deepest, fragments.measure(selection.name.value, '', 0, (f) => depthOf(f.selectionSet)));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        inlineRunTooLong = false;
        const depth = measureNested(() => depthOf(operation.selectionSet));
        if (inlineRunTooLong) {
          context.reportError(limitError('QUERY_TOO_DEEP', `the operation nests more than ${MAX_INLINE_FRAGMENT_RUN} inline fragments directly inside each other`, operation));
        } else if (depth === 'too-deep') {
          context.reportError(limitError('QUERY_TOO_DEEP', `the operation nests fields, or fragments within fragments (at most ${MAX_FRAGMENT_NESTING}), too deeply to run`, operation));
        } else if (depth > maxDepth) {
          context.reportError(limitError('QUERY_TOO_DEEP', `the operation is ${depth} fields deep; at most ${maxDepth} are allowed`, operation));
        }
      },
    };
  };
}
