import type { z } from 'zod';

/**
 * What the job file knows of one channel kind: the key a channel is declared under
 * (`slack:`), the schema of its settings, and which of their values are secret. The kind's whole
 * definition (sending, description) lives with the senders in src/notify and extends this; the
 * job-file schema is built from a list of them, so config depends on no kind.
 */
export interface ChannelKindSchema {
  readonly kind: string;
  readonly schema: z.ZodType;
  /** Every value of the settings that must not be shown, in the forms it could appear in. */
  secrets(settings: unknown): string[];
}

/** The kinds a job file is read with: the built-in ones (src/kinds), or those plus a test's own. */
export interface JobFileKinds {
  readonly channels: readonly ChannelKindSchema[];
}
