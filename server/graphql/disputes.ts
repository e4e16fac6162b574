// Filled in by the disputes work; imported by schema.ts.
export {};
