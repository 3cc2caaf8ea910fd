/**
 * The key that verifies the API's seals on acts (src/domain/act-seal.ts). The worker writes it into the
 * workflow bundle when it builds it (src/worker.ts, workflowBundlerOptions), so it never enters Temporal's
 * history; a bundle built without it (replay tests) verifies nothing, and its validators refuse every act.
 */
declare const __SUMMIT_ACT_SEAL_KEY__: string | undefined;

export const SEAL_KEY: string | undefined =
  typeof __SUMMIT_ACT_SEAL_KEY__ === 'string' ? __SUMMIT_ACT_SEAL_KEY__ : undefined;
