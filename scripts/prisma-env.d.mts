export declare const prismaEnv: {
  /** Path of the Prisma CLI's entry script. */
  cliPath: string;
  /** The offline schema engine (scripts/prisma-schema-engine.mjs). */
  fallbackEngine: string;
  /** True when the CLI would run on the offline engine. */
  usesFallback(): boolean;
  /** The environment for a Prisma CLI child process. */
  env(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
};
