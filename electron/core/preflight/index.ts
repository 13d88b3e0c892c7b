/**
 * Preflight: before anything is installed, hold every probed host against the bundle's
 * troubleshoot.sh HostPreflight and Outpost's own requirements, and say pass / warn / fail with a fix.
 */
export type * from './types';
export { parsePreflightSpec, isExcluded, SUPPORTED_COLLECTORS, type PreflightSpec, type AnalyzerEntry, type CollectorEntry, type SpecIssue } from './spec';
export { SUPPORTED_ANALYZERS } from './analyzers';
export { runPreflight, summarize } from './run';
export { preflightExitCode, preflightToHtml, preflightToJson } from './report';
export { probeOptionsFromSpec } from './probe-options';
export { OUTPOST_CHECKS, k3sPorts, type OutpostCheck, type CheckContext, type CheckOutcome } from './checks';
export { parseQuantity, formatBytes } from './quantity';
export { preflightMsg } from './msg';
