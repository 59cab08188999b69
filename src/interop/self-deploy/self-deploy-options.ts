/**
 * What `cronplane export --self` needs to write the files that deploy cronplane itself: where
 * the daemon's program and job file are, which store it opens, and how the platform should run
 * it. The CLI resolves every value; the writers only format them.
 */
export interface SelfDeployOptions {
  /** The job file, absolute. */
  readonly configPath: string;
  /** Its text (Kubernetes carries it in a ConfigMap). */
  readonly jobFileText: string;
  /** Values the job file holds as secrets: none may be written into a ConfigMap. */
  readonly secretValues: readonly string[];
  /** The store the daemon would open here, resolved (`--store`, CRONPLANE_STORE, `store:`, default). */
  readonly storeUrl: string;
  /** True when some job says `user:` (only a daemon running as root can switch users). */
  readonly switchesUsers: boolean;
  /** cronplane's version, for the image tag. */
  readonly version: string;
}

/** systemd: the unit for one node. */
export interface SystemdSelfOptions extends SelfDeployOptions {
  /** The Node.js program, absolute. */
  readonly nodePath: string;
  /** cronplane's bin/cronplane.js, absolute. */
  readonly binPath: string;
  /** `--node`; undefined gives `%H`, the machine's host name as systemd reads it. */
  readonly node: string | undefined;
  /** The user the daemon runs as (`User=`). */
  readonly user: string;
  /** The one folder the daemon may write (its SQLite store, its working directory). */
  readonly dataDir: string;
}

/** Kubernetes: a Deployment of `replicas` nodes on one PostgreSQL store. */
export interface KubernetesSelfOptions extends SelfDeployOptions {
  readonly replicas: number;
  /** The container image built from the repository's Dockerfile. */
  readonly image: string;
}
