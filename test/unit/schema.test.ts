import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { getNamedType, isUnionType } from 'graphql';
import { printedSchema } from '../../scripts/print-schema.ts';
import { schema } from '../../server/graphql/schema.ts';

describe('the GraphQL schema', () => {
  it('matches the committed schema.graphql (run `npm run schema:print` after an intended change)', () => {
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8');
    expect(printedSchema()).toBe(committed);
  });

  it('gives every mutation a typed error result', () => {
    const mutation = schema.getMutationType()!;
    for (const field of Object.values(mutation.getFields())) {
      const type = getNamedType(field.type);
      expect(isUnionType(type) && type.getTypes().some((t) => t.name === 'AppError'), `${field.name} returns a union with AppError`).toBe(true);
    }
  });
});
