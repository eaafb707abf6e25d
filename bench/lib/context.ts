/** Settings and sinks every section gets. */
export interface BenchContext {
  durationSec: number;
  connections: number;
  /** Interleaved measured runs per target and case. */
  rounds: number;
  log(message: string): void;
  /** A finding worth a line in the report and results.json. */
  note(message: string): void;
}
