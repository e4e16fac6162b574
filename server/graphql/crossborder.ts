// Filled in by the crossborder work; imported by schema.ts.
export {};
