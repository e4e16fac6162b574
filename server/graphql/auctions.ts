// Filled in by the auctions work; imported by schema.ts.
export {};
