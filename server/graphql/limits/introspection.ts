// Refuses `__schema` and `__type` when introspection is switched off (production by default).
import type { ValidationRule } from 'graphql';
import { limitError } from './limit-error.ts';

export const NoIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(limitError('INTROSPECTION_DISABLED', 'introspection is switched off on this server', node));
    }
  },
});
