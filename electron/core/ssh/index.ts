export { SshSession, shQuote, type SshTarget, type ConnectOptions, type ExecOptions, type ExecResult } from './session';
export { fingerprintOf, algorithmOf, describeKey, type OfferedKey } from './host-key';
export { classifyConnectError } from './errors';
