/**
 * Store signals: a small wake-up between the nodes sharing a store. `signal(channel, payload)`
 * reaches every listener on that channel (on this node and the others); PostgreSQL carries it
 * with LISTEN/NOTIFY, SQLite (one node) with an emitter in the process.
 *
 * A signal is a hint, delivered at most once: one sent while a node's listening connection is
 * away is not seen by that node. Whoever acts on signals keeps a slower poll as well.
 */
import { invalid } from './row-mapping.ts';

/** Called with a signal's payload (empty when none was given). Errors are reported as warnings. */
export type SignalListener = (payload: string) => void;

/** Stops one `onSignal` listener; calling it again does nothing. */
export type StopListening = () => void;

export interface StoreSignals {
  /** Tells every listener on `channel`, on every node. Resolves once the store took the signal. */
  signal(channel: string, payload?: string): Promise<void>;
  /**
   * Calls `listener` for each signal on `channel` from now on. Resolves once listening is in
   * effect (a signal sent afterwards is heard), or once the first try to listen failed: the
   * store then keeps trying in the background, with a back-off.
   */
  onSignal(channel: string, listener: SignalListener): Promise<StopListening>;
  /**
   * How many other stores listen for signals on this database now: the listening connections of
   * other nodes (and programs) on PostgreSQL, the other listening stores of this process on the
   * same file on SQLite. Who spreads work between nodes reads it: with none, nobody competes. An
   * estimate: a connection that is away is not counted, one that listens to other channels is.
   */
  countListeningPeers(): Promise<number>;
  /**
   * A mark that stays the same while this store has heard every signal sent to its channels, so
   * that a poll that only guards against lost signals may skip its read. PostgreSQL: which
   * listening connection is up (no statement; a connection that broke and came back, or none,
   * moves it). SQLite: `data_version`, which moves when another connection commits (another
   * process, a CLI: their signals do not reach this one). Signals stay hints: read it before
   * the data it vouches for, and read the data anyway now and then.
   */
  readMissedSignalMark(): Promise<string>;
}

/** Sent (with the job's name) when a job is paused or resumed, so every node rereads the paused jobs. */
export const jobsPausedSignal = 'jobs_paused';

/**
 * Sent when jobs defined through the API were written (payload: the newest version id), so every
 * node reads the versions written since it last looked and applies them.
 */
export const jobsChangedSignal = 'jobs_changed';

/** A channel: lower-case letters, digits and `_`, starting with a letter, at most 40 characters. */
export const signalChannelPattern = /^[a-z][a-z0-9_]{0,39}$/;
/** The longest payload, in characters (PostgreSQL allows under 8,000 bytes). */
export const maxSignalPayload = 1000;

export function assertSignalChannel(channel: unknown): string {
  if (typeof channel !== 'string' || !signalChannelPattern.test(channel))
    throw invalid(
      'channel',
      'a channel name (a-z, 0-9 and _, starting with a letter, 1-40 characters)',
      channel,
    );
  return channel;
}

export function assertSignalPayload(payload: unknown): string {
  if (payload === undefined) return '';
  if (typeof payload !== 'string' || payload.length > maxSignalPayload)
    throw invalid('payload', `a string of at most ${maxSignalPayload} characters`, payload);
  return payload;
}

/**
 * The listeners of one node, by channel: the part both dialects share. A listener that throws
 * does not keep the others from hearing the signal.
 */
export class SignalListeners {
  readonly #byChannel = new Map<string, Set<SignalListener>>();

  get channels(): readonly string[] {
    return [...this.#byChannel.keys()];
  }

  /** Adds a listener; true when it is the channel's first (the channel must be listened to). */
  add(channel: string, listener: SignalListener): boolean {
    const listeners = this.#byChannel.get(channel);
    if (listeners !== undefined) {
      listeners.add(listener);
      return false;
    }
    this.#byChannel.set(channel, new Set([listener]));
    return true;
  }

  /** Removes a listener; true when the channel has none left. */
  remove(channel: string, listener: SignalListener): boolean {
    const listeners = this.#byChannel.get(channel);
    if (listeners === undefined || !listeners.delete(listener)) return false;
    if (listeners.size > 0) return false;
    this.#byChannel.delete(channel);
    return true;
  }

  deliver(channel: string, payload: string): void {
    for (const listener of [...(this.#byChannel.get(channel) ?? [])]) {
      try {
        listener(payload);
      } catch (thrown) {
        process.emitWarning(`A listener of store signal "${channel}" failed: ${String(thrown)}`);
      }
    }
  }

  clear(): void {
    this.#byChannel.clear();
  }
}
