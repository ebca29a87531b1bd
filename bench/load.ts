/** Runs `workers` loops of `operation` until `durationMs` has passed; counts the units each call reports. */
export async function runLoad(
  workers: number,
  durationMs: number,
  operation: (worker: number, iteration: number) => Promise<number>,
): Promise<{ units: number; calls: number; seconds: number }> {
  const started = performance.now();
  const deadline = started + durationMs;
  let units = 0;
  let calls = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let iteration = 0; performance.now() < deadline; iteration++) {
        const done = await operation(worker, iteration);
        units += done;
        calls++;
      }
    }),
  );
  return { units, calls, seconds: (performance.now() - started) / 1000 };
}
