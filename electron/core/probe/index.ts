/**
 * Probe: one read-only POSIX-sh script per host, one SSH round trip, sectioned output parsed into
 * HostFacts. The SSH side is injected (probeHosts' `exec`), so this domain runs the same against real
 * hosts, namespace test hosts, or a local `sh` in unit tests.
 */
export type * from './types';
export { buildProbeScript, shq, PROBE_SCRIPT_VERSION, DEFAULT_KERNEL_MODULES, DEFAULT_SYSCTLS, type ProbeScriptOptions, type ExtraMiddleware } from './script';
export { parseProbeOutput, emptyFacts, type ParseContext } from './parse';
export { probeHosts, type ProbeExec, type ProbeHostsOptions, type ExecResult } from './probe-hosts';
export { splitSections, type Section } from './sections';
export { compareVersions, compareParts, javaParts, satisfiesVersion, parseVersionConstraint, versionParts } from './version';
export { mountFor } from './parsers/disk';
export { parseOs, parseEnvFile } from './parsers/os';
export { KNOWN_MIDDLEWARE } from './parsers/middleware';
export { X86_64_V2_FLAGS } from './parsers/system';
export { probeMsg } from './msg';
