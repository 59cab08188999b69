/**
 * Commands whose names and help texts are settled but whose work arrives with later parts of
 * cronplane (interop). They answer with exit code 2 and say so, rather than pretending
 * to work.
 */
export const plannedCommands: readonly { name: string; description: string; arrives: string }[] = [];

/** One of them: its name, its help line and when it arrives. */
export type PlannedCommand = (typeof plannedCommands)[number];
