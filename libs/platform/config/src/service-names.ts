/**
 * The services of the deployment and their default HTTP ports: a fact shared by the services'
 * own env schemas (services/<name>/src/config.ts), `npm start`, the deploy files and the docs.
 */
export const SERVICE_PORTS = {
  enricher: 3101,
  pricer: 3102,
  'anomaly-detector': 3103,
  reconciler: 3104,
  'chargeback-exporter': 3105,
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;
export const SERVICE_NAMES = Object.keys(SERVICE_PORTS) as ServiceName[];

export function defaultHttpPort(service: ServiceName): number {
  return SERVICE_PORTS[service];
}
