/** Several nodes on one store: who each process is, its heartbeat, drain, roles and job-file drift. */
export { nodeIdentity, isProcessAlive, processScopeOf } from './node-identity.ts';
export type { NodeIdentity } from './node-identity.ts';
export { NodePresence, defaultHeartbeatMs, defaultNodeStaleMs } from './node-presence.ts';
export type { NodePresenceOptions, NodeStatus } from './node-presence.ts';
export { listNodeListings, listStoppedForMs } from './node-listing.ts';
export type { NodeListing } from './node-listing.ts';
export { assertNodeName, nodeNamePattern } from './node-name.ts';
