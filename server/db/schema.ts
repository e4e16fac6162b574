// The exchange's relational schema, one file per bounded context under server/db/schema/.
// drizzle-kit generates migrations/ from it (`npm run db:generate`); the server applies them at
// start on PGlite and PostgreSQL alike. Code imports the tables from here.
export * from './schema/foundation.ts';
export * from './schema/catalog.ts';
export * from './schema/rights.ts';
export * from './schema/anchoring.ts';
export * from './schema/trading.ts';
export * from './schema/ledger.ts';
export * from './schema/clearing.ts';
export * from './schema/crossborder.ts';
export * from './schema/auctions-disputes.ts';
export * from './schema/privacy.ts';
export * from './schema/supervision.ts';
