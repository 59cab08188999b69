/** Names shared by the files that deploy cronplane itself. */
export const selfNames = {
  /** systemd: the unit, and where it reads its environment from. */
  unit: 'cronplane.service',
  envFile: '/etc/cronplane/cronplane.env',
  envExample: 'cronplane.env.example',
  /** Kubernetes: every object is named this (Deployment, Service, Secret); the ConfigMap adds -config. */
  app: 'cronplane',
  configMap: 'cronplane-config',
  /** Where the ConfigMap's job file is mounted in the container. */
  configDir: '/etc/cronplane',
  configKey: 'cronplane.yaml',
} as const;
