/**
 * One chaos node: a real `cronplane start` process under a fixed `--node` name, started again
 * under the same name after each kill or stop. Its store connections carry the application name
 * `chaos-<node>` (`application_name` in its store URL, which wins over the pool's own) so that the harness can terminate exactly them. Every process's
 * output is kept (the report reads the missed-fire lines from it).
 */
import type { DaemonProcess } from '../../test/support/run-cronplane.ts';
import { startDaemonProcess } from '../../test/support/run-cronplane.ts';

export interface ChaosNodeSettings {
  readonly name: string;
  readonly configFile: string;
  readonly storeUrl: string;
  /** The bootstrap admin token the daemons accept (CRONPLANE_TOKEN); the harness enqueues with it. */
  readonly token: string;
  /** More `cronplane start` arguments (tunables under test). */
  readonly extraArgs: readonly string[];
}

/** The application name a node's store connections carry. */
export function applicationNameOf(node: string): string {
  return `chaos-${node}`;
}

export class ChaosNode {
  readonly settings: ChaosNodeSettings;
  #process: DaemonProcess | undefined;
  /** The output of the processes that ended. */
  readonly #pastOutput: string[] = [];
  /** When a process of this node exited without being told to (a crash). */
  readonly crashes: number[] = [];

  constructor(settings: ChaosNodeSettings) {
    this.settings = settings;
  }

  get name(): string {
    return this.settings.name;
  }

  get isUp(): boolean {
    return this.#process !== undefined;
  }

  /** The API's base URL while up. */
  get server(): string | undefined {
    return this.#process?.server;
  }

  async start(): Promise<void> {
    if (this.#process !== undefined) return;
    const { name, configFile, storeUrl, token, extraArgs } = this.settings;
    const url = new URL(storeUrl);
    url.searchParams.set('application_name', applicationNameOf(name));
    const started = await startDaemonProcess(
      ['--config', configFile, '--store', url.toString(), '--node', name, '--watch', ...extraArgs],
      { env: { CRONPLANE_TOKEN: token } },
    );
    this.#process = started;
    void started.exited.then((at) => {
      // Still the current process: nobody ended it.
      if (this.#process !== started) return;
      this.crashes.push(at);
      this.#pastOutput.push(started.output());
      this.#process = undefined;
    });
  }

  /** `kill -9`; answers the time the process was gone. */
  async kill(): Promise<number> {
    return this.#end('SIGKILL');
  }

  /** SIGTERM (drain, hand-over); answers the time the process exited. */
  async stop(): Promise<number> {
    return this.#end('SIGTERM');
  }

  sighup(): void {
    this.#process?.signal('SIGHUP');
  }

  /** Everything every process of this node wrote, both streams. */
  output(): string {
    return [...this.#pastOutput, this.#process?.output() ?? ''].join('');
  }

  async #end(signal: NodeJS.Signals): Promise<number> {
    const process = this.#process;
    if (process === undefined) return Date.now();
    this.#process = undefined;
    process.signal(signal);
    const at = await process.exited;
    this.#pastOutput.push(process.output());
    return at;
  }
}
