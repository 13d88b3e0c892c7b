// The integration/e2e test harness: real sshd hosts, real middleware, a real browser.
import { hasChromium } from './browser';

export { canStartHosts, fingerprintOfPublicKey, haveSshd, haveSudo, startHosts, SSHD, TEST_PASSWORD, TEST_USERS } from './ssh-hosts';
export type { ExecOptions, HostSpec, StartOptions, TestHost, TestHosts, TestUsers } from './ssh-hosts';
export { canRunNamespaces, cleanupStale, PREFIX } from './netns';
export { startBlackholes } from './blackholes';
export type { Blackholes, Endpoint } from './blackholes';
export { haveMiddleware, mysqlHandshakeVersion, occupyPort, startMariadb, startMiddleware, startNginx, startPostgres, startRedis, PG_BIN } from './middleware';
export type { MiddlewareHost, MiddlewareKind, Service, ServiceOptions } from './middleware';
export { CHROMIUM_ARGS, CHROMIUM_PATH, hasChromium, launchBrowser, newPage, screenshot, SCREENSHOT_DIR } from './browser';
export { sha256Fingerprint, sshConnect, sshExec } from './ssh-client';
export type { SshAuth, SshSession } from './ssh-client';
export { freePort, run, runOk, tcpAnswer, tcpConnectable, waitFor } from './proc';
export type { RunResult } from './proc';

export const haveChromium = hasChromium;
