/** Stops what globalSetup started, so no process outlives the test run. */
export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__summitStack as
    { stack: { stop(): Promise<void> }; app?: { stop(): Promise<void> } } | undefined;
  await started?.app?.stop();
  await started?.stack.stop();
}
