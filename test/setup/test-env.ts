// Shared between the global setup (which writes these) and tests (which read them).
export const TEST_STATE = '__WMA_TEST_STATE__';

export interface TestRunState {
  runId: string;
  databaseName: string;
  adminUrl: string;
  redisPrefix: string;
  s3Dir: string;
}
