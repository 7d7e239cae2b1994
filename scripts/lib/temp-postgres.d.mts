// Types of temp-postgres.mjs for TypeScript callers (benchmarks).
export function postgresAvailable(): boolean;
export function startTempPostgres(): Promise<{ url: string; stop: () => void }>;
