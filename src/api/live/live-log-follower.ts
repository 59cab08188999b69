/** One live-log stream as the run's shared source sees it. */
export interface LiveLogFollower {
  /** The sequence number of the last chunk it has; the source moves it on as it writes. */
  after: number;
  /** Takes the text of one Server-Sent Event (already masked). */
  write(text: string): void;
  /** The source is done with it: the run ended (`end` was written) or reading failed (`error` was). */
  finish(): void;
}
