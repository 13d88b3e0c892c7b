import type { Msg } from '../i18n';
import type { HostFacts } from '../probe';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unsupported' | 'error';

/** One check on one host (or on the site as a whole). */
export interface CheckResult {
  /** Stable id: 'ts.<n>.<analyzer>' for the bundle's troubleshoot analyzers, 'outpost.<check>[.<detail>]' for ours. */
  id: string;
  /** troubleshoot analyzer type ('diskUsage', 'tcpPortStatus', …) or 'outpost'. */
  analyzer: string;
  /** The vendor's checkName as written, or our own (translatable) title. */
  title: string | Msg;
  status: CheckStatus;
  /** Vendor outcome messages are shown as written (a string); ours are translatable Msgs. */
  message: string | Msg;
  fix?: string | Msg;
  uri?: string;
  /** troubleshoot's `strict`: a failing strict analyzer must block the install. */
  strict?: boolean;
  category?: CheckCategory;
}

export type CheckCategory = 'system' | 'middleware' | 'ports' | 'network' | 'cluster' | 'disk' | 'access' | 'time' | 'probe';

export interface HostReport { host: string; results: CheckResult[] }

export interface PreflightSummary { pass: number; warn: number; fail: number; unsupported: number; error: number }

export interface PreflightReport {
  /** Spec name (metadata.name) when a spec was given. */
  name: string | null;
  generatedAt: string;
  hosts: HostReport[];
  /** Checks about the site as a whole (e.g. a middleware that must exist on some host). */
  site: CheckResult[];
  summary: PreflightSummary;
}

/** A measured connection from one host to another (the probe cannot see this by itself). */
export interface ReachabilityEntry {
  /** Host key (as in HostFacts.host) the attempt was made from. */
  from: string;
  /** Host key or address the attempt went to. */
  to: string;
  port: number;
  proto: 'tcp' | 'udp';
  /** troubleshoot's NetworkStatus words; 'unmeasured' for UDP or anything that was not tried. */
  status: 'connected' | 'connection-refused' | 'connection-timeout' | 'error' | 'unmeasured';
  message?: string;
}

export type Reachability = readonly ReachabilityEntry[];

export interface MiddlewareRequirement {
  /** 'mysql' (also satisfied by MariaDB), 'mariadb', 'postgresql', 'redis', 'nginx', 'jdk'/'java', or a custom name. */
  name: string;
  /** Version constraint: '>= 5.7', '>=5.7 <9', '>= 10.5 || >= 8.0'. */
  version?: string;
  /** Must it exist? Default true. false: only check the version where it exists. */
  required?: boolean;
  /** 'any' (default): one host having it is enough; 'every': each host in `hosts` (or all) needs it. */
  scope?: 'any' | 'every';
  /** Host keys this applies to; default all. */
  hosts?: string[];
  /** Must it be running? Default false. */
  running?: boolean;
}

export interface PortRequirement {
  port: number;
  proto?: 'tcp' | 'udp';
  /** Host keys that will listen on it; default all. */
  hosts?: string[];
  /** What will listen there, for the message ('ingress', 'k3s API'). */
  purpose?: string;
}

export interface DiskRequirement {
  /** Absolute path the install writes to. */
  path: string;
  bytes: number;
  /** 'images', 'k3s', 'charts', or any word; shown in the message. */
  purpose?: string;
  hosts?: string[];
}

export interface K3sTopology {
  servers: string[];
  agents?: string[];
  /** Embedded-etcd HA (three or more servers): etcd ports 2379–2380 between servers. Default servers.length > 1. */
  ha?: boolean;
}

/** Outpost's own requirements, on top of the troubleshoot spec (from the bundle and the site). */
export interface PreflightRequirements {
  middleware?: MiddlewareRequirement[];
  ports?: PortRequirement[];
  disk?: DiskRequirement[];
  k3s?: K3sTopology;
  /** Clock skew thresholds between hosts, seconds. Default warn 2, fail 30. */
  clockSkew?: { warnSeconds?: number; failSeconds?: number };
  /** Whether installing needs root via sudo (default true), and whether a sudo password is stored. */
  sudo?: { required?: boolean; passwordAvailable?: boolean | ((host: string) => boolean) };
  /** Check that hostnames are unique (k3s node names). Default true. */
  uniqueHostnames?: boolean;
}

export interface RunPreflightInput {
  spec?: import('./spec').PreflightSpec | null;
  facts: readonly HostFacts[];
  reachability?: Reachability;
  requirements?: PreflightRequirements;
}
