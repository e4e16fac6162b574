import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { printedSchema } from '../../scripts/print-schema.ts';

describe('the GraphQL schema', () => {
  it('matches the committed schema.graphql (run `npm run schema:print` after an intended change)', () => {
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8');
    expect(printedSchema()).toBe(committed);
  });

  it('gives every mutation a typed error result', () => {
    const sdl = printedSchema();
    const mutations = /type Mutation \{([^}]*)\}/.exec(sdl)![1]!;
    for (const line of mutations.split('\n').filter((l) => l.includes('):') || /^\s+\w+:/.test(l))) {
      const type = line.split(':').at(-1)!.trim().replace(/!$/, '');
      expect(new RegExp(`union ${type} = [^\\n]*AppError`).test(sdl), `${line.trim()} returns a union with AppError`).toBe(true);
    }
  });
});
