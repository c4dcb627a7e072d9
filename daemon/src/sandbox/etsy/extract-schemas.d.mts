/** Types for the extraction script, so the TypeScript tests can call it. */
export declare const SERVED_OPERATIONS: string[];
export declare function extractSubset(official: unknown): Record<string, unknown>;
