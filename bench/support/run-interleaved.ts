import { interleave } from './interleave.ts';

/** A system an interleaved benchmark measures: its name (shown, matched by --only) and one pass. */
export interface BenchSystem<R> {
  readonly name: string;
  readonly measure: () => Promise<R>;
}

/**
 * Measures every system once per round for `repeat` rounds (see interleave()), printing one line
 * per pass as it ends, and returns each system's results in round order.
 */
export async function runInterleaved<R>(
  systems: readonly BenchSystem<R>[],
  repeat: number,
  describe: (result: R) => string,
): Promise<Map<string, R[]>> {
  const results = new Map<string, R[]>(systems.map((system) => [system.name, []]));
  const width = Math.max(...systems.map((system) => system.name.length));
  for (const { round, system } of interleave(systems, repeat)) {
    const result = await system.measure();
    results.get(system.name)?.push(result);
    console.log(`  round ${round}/${repeat}  ${system.name.padEnd(width)}  ${describe(result)}`);
  }
  return results;
}
