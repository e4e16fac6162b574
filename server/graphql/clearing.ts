// Filled in by the clearing work; imported by schema.ts.
export {};
