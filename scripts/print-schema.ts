// Writes the GraphQL schema as SDL to schema.graphql, committed so that API changes show in review.
import fs from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { PROJECT_ROOT } from '../server/config.ts';
import { schema } from '../server/graphql/schema.ts';

export function printedSchema(): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  fs.writeFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), printedSchema());
  console.log('schema.graphql written');
}
