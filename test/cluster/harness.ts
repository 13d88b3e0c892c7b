// A real Kubernetes API server for the tests (the envtest approach): etcd and
// kube-apiserver built from the pinned modules in test/cluster/tools/, started
// on free loopback ports with throw-away certificates, plus a real helm.
// Nothing runs pods here (no kubelet, no controller-manager): Deployments never
// get pods, so tests create Pods and Nodes themselves and stage their status
// through the status subresource with the helpers at the end of this file.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createWriteStream, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Node,
  type V1Pod,
  type V1PodStatus,
} from '@kubernetes/client-node';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const buildScript = path.join(repoRoot, 'scripts/cluster-build.sh');

/** The environment lacks something the tier needs (Go, openssl): skip, unless CI demands every tier. */
export class MissingPrerequisite extends Error {}

/** What a test needs to reach the cluster; plain data, so globalSetup can `provide` it. */
export interface ClusterInfo {
  kubeconfigPath: string;
  server: string;
  helmPath: string;
  /** HELM_* and KUBECONFIG variables that keep helm inside the cluster's temp folder. */
  helmEnv: Record<string, string>;
}

export interface TestCluster extends ClusterInfo {
  kubeConfig: KubeConfig;
  /** Runs the real helm against this cluster; rejects with helm's stderr on failure. */
  helm(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Builds or reuses the cached binaries (scripts/cluster-build.sh); returns their folder. */
export async function clusterBinaries(): Promise<string> {
  // stderr goes straight through: a cold build takes minutes and says so.
  const child = spawn('bash', [buildScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code === 2) throw new MissingPrerequisite('Go toolchain not found: cannot build kube-apiserver, etcd and helm (see scripts/cluster-build.sh)');
  if (code !== 0) throw new Error(`scripts/cluster-build.sh failed with exit code ${code}`);
  return out.trim().split('\n').pop()!;
}

export async function startTestCluster(): Promise<TestCluster> {
  const bin = await clusterBinaries();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'outpost-cluster-'));
  const procs: ChildProcess[] = [];
  const stop = async () => {
    process.off('exit', killNow);
    // apiserver first: it shuts down promptly only while etcd still answers.
    for (const p of procs.reverse()) await terminate(p);
    await rm(dir, { recursive: true, force: true });
  };
  // If the test runner dies without teardown, do not leave servers behind.
  const killNow = () => procs.forEach((p) => p.kill('SIGKILL'));
  process.on('exit', killNow);

  try {
    const pki = await makePki(dir);
    const [etcdPort, peerPort, apiPort] = await freePorts(3);
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const server = `https://127.0.0.1:${apiPort}`;

    const etcd = launch(path.join(bin, 'etcd'), [
      '--name=default', `--data-dir=${dir}/etcd`,
      `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      '--unsafe-no-fsync', // throw-away data: no need to wait for the disk
      '--log-level=warn',
    ], `${dir}/etcd.log`);
    procs.push(etcd);
    await waitFor('etcd', etcd, `${dir}/etcd.log`, () => httpOk(`${etcdUrl}/health`));

    const apiserver = launch(path.join(bin, 'kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      // Endpoints may not point at loopback, so the "kubernetes" Service gets none.
      '--endpoint-reconciler-type=none',
      `--cert-dir=${dir}/pki`,
      `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.caCert}`,
      // Service accounts: tokens are signed but no token controller runs, and the
      // ServiceAccount admission plugin would reject pods for want of a "default" SA.
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`, `--service-account-signing-key-file=${pki.saKey}`,
      '--disable-admission-plugins=ServiceAccount',
      // k3s defaults, so that objects look like they do on a site.
      '--service-cluster-ip-range=10.43.0.0/16', '--allow-privileged=true', '--authorization-mode=Node,RBAC',
      '--anonymous-auth=false',
    ], `${dir}/kube-apiserver.log`);
    procs.push(apiserver);
    await waitFor('kube-apiserver', apiserver, `${dir}/kube-apiserver.log`, () =>
      httpOk(`${server}/readyz`, { ca: pki.ca, cert: pki.clientCertPem, key: pki.clientKeyPem }),
    );

    const kubeconfigPath = path.join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig(server, pki), { mode: 0o600 });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);
    const info: ClusterInfo = { kubeconfigPath, server, helmPath: path.join(bin, 'helm'), helmEnv: helmEnv(dir, kubeconfigPath) };
    return { ...info, kubeConfig, helm: helmRunner(info), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Rebuilds the test-side handles from the plain data a globalSetup provided. */
export function connectTestCluster(info: ClusterInfo): Omit<TestCluster, 'stop'> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(info.kubeconfigPath);
  return { ...info, kubeConfig, helm: helmRunner(info) };
}

function helmEnv(dir: string, kubeconfigPath: string): Record<string, string> {
  // Keep helm's cache/config/data out of the user's home.
  return {
    KUBECONFIG: kubeconfigPath,
    HELM_CACHE_HOME: `${dir}/helm/cache`,
    HELM_CONFIG_HOME: `${dir}/helm/config`,
    HELM_DATA_HOME: `${dir}/helm/data`,
  };
}

function helmRunner(info: ClusterInfo) {
  return async (...args: string[]) => {
    try {
      const { stdout } = await run(info.helmPath, args, { env: { ...process.env, ...info.helmEnv }, maxBuffer: 64 << 20 });
      return stdout;
    } catch (err: any) {
      throw new Error(`helm ${args.join(' ')} failed: ${err.stderr || err.message}`);
    }
  };
}

// ---------------------------------------------------------------- processes

function launch(binary: string, args: string[], logFile: string): ChildProcess {
  const log = createWriteStream(logFile);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(name: string, child: ChildProcess, logFile: string, ready: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}:\n${await tail(logFile)}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} not ready after ${timeoutMs / 1000}s:\n${await tail(logFile)}`);
}

async function tail(file: string, lines = 30): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function httpOk(url: string, tls: https.RequestOptions = {}): Promise<boolean> {
  const get = url.startsWith('https:') ? https.get : http.get;
  return new Promise((resolve) => {
    const req = get(url, { ...tls, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

async function freePorts(n: number): Promise<number[]> {
  // Hold all sockets open at once so that the ports are distinct.
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

// ---------------------------------------------------------------- certificates

interface Pki {
  caCert: string; serverCert: string; serverKey: string; saKey: string; saPub: string;
  ca: string; clientCertPem: string; clientKeyPem: string;
}

async function makePki(dir: string): Promise<Pki> {
  const d = path.join(dir, 'pki');
  await mkdir(d, { recursive: true });
  // Our own config: the system one would mark every certificate as a CA.
  await writeFile(`${d}/openssl.cnf`, [
    '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]',
    '[ca]', 'basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign',
    '[server]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature',
    'extendedKeyUsage = serverAuth', 'subjectAltName = IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc',
    '[client]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature',
    'extendedKeyUsage = clientAuth', '',
  ].join('\n'));
  const cert = async (name: string, subject: string, ext: string, signed: boolean) => {
    const args = ['req', '-x509', '-config', `${d}/openssl.cnf`, '-extensions', ext, '-days', '7',
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', `${d}/${name}.key`, '-out', `${d}/${name}.crt`, '-subj', subject];
    if (signed) args.push('-CA', `${d}/ca.crt`, '-CAkey', `${d}/ca.key`);
    try {
      await run('openssl', args);
    } catch (err: any) {
      if (err.code === 'ENOENT') throw new MissingPrerequisite('openssl not found: cannot make the test cluster certificates');
      throw new Error(`openssl ${name}: ${err.stderr || err.message}`);
    }
  };
  await cert('ca', '/CN=outpost-test-ca', 'ca', false);
  await Promise.all([
    cert('server', '/CN=kube-apiserver', 'server', true),
    // Group system:masters: full rights, whatever RBAC says.
    cert('admin', '/O=system:masters/CN=outpost-test-admin', 'client', true),
  ]);
  const sa = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await writeFile(`${d}/sa.key`, sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await writeFile(`${d}/sa.pub`, sa.publicKey.export({ type: 'spki', format: 'pem' }));
  return {
    caCert: `${d}/ca.crt`, serverCert: `${d}/server.crt`, serverKey: `${d}/server.key`,
    saKey: `${d}/sa.key`, saPub: `${d}/sa.pub`,
    ca: readFileSync(`${d}/ca.crt`, 'utf8'),
    clientCertPem: readFileSync(`${d}/admin.crt`, 'utf8'),
    clientKeyPem: readFileSync(`${d}/admin.key`, 'utf8'),
  };
}

function kubeconfig(server: string, pki: Pki): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  // Certificates inline: the file stands alone, for helm and for copies in bug reports.
  return `apiVersion: v1
kind: Config
clusters:
- name: outpost-test
  cluster: { server: "${server}", certificate-authority-data: ${b64(pki.ca)} }
users:
- name: outpost-test-admin
  user: { client-certificate-data: ${b64(pki.clientCertPem)}, client-key-data: ${b64(pki.clientKeyPem)} }
contexts:
- name: outpost-test
  context: { cluster: outpost-test, user: outpost-test-admin, namespace: default }
current-context: outpost-test
`;
}

// ---------------------------------------------------------------- staging
// Nothing updates Node or Pod status here, so tests write it themselves,
// through the status subresource, exactly as a kubelet would.

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Creates a Node and sets its Ready condition. */
export async function createNode(kc: KubeConfig, name: string, opts: { ready?: boolean; labels?: Record<string, string> } = {}): Promise<V1Node> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNode({ body: { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } } } });
  return setNodeReady(kc, name, opts.ready ?? true);
}

/** Sets a Node's Ready condition (False with reason KubeletNotReady, as a failing kubelet reports). */
export async function setNodeReady(kc: KubeConfig, name: string, ready: boolean, message = ready ? 'kubelet is posting ready status' : 'container runtime is down'): Promise<V1Node> {
  const now = new Date();
  const status = {
    conditions: [{
      type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'KubeletReady' : 'KubeletNotReady',
      message, lastHeartbeatTime: now, lastTransitionTime: now,
    }],
    addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
  };
  return kc.makeApiClient(CoreV1Api).patchNodeStatus({ name, body: { status } }, mergePatch);
}

/** Creates a Pod bound to a node (there is no scheduler), with one container. */
export async function createPod(kc: KubeConfig, namespace: string, name: string, opts: { nodeName?: string; labels?: Record<string, string>; image?: string } = {}): Promise<V1Pod> {
  return kc.makeApiClient(CoreV1Api).createNamespacedPod({
    namespace,
    body: {
      metadata: { name, labels: opts.labels },
      spec: { nodeName: opts.nodeName, containers: [{ name: 'main', image: opts.image ?? 'registry.local/demo:1.0' }] },
    },
  });
}

/** Replaces a Pod's status (merge patch on the status subresource). */
export async function setPodStatus(kc: KubeConfig, namespace: string, name: string, status: V1PodStatus): Promise<V1Pod> {
  return kc.makeApiClient(CoreV1Api).patchNamespacedPodStatus({ namespace, name, body: { status } }, mergePatch);
}

/** Status of a Pod whose container runs (ready) or keeps crashing (CrashLoopBackOff). */
export function podStatus(kind: 'Running' | 'CrashLoopBackOff' | 'Succeeded' | 'Failed', opts: { container?: string; image?: string; restarts?: number } = {}): V1PodStatus {
  const name = opts.container ?? 'main';
  const image = opts.image ?? 'registry.local/demo:1.0';
  const now = new Date();
  const ready = kind === 'Running';
  const state =
    kind === 'Running' ? { running: { startedAt: now } }
    : kind === 'CrashLoopBackOff' ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off restarting failed container ${name}` } }
    : { terminated: { exitCode: kind === 'Succeeded' ? 0 : 1, reason: kind === 'Succeeded' ? 'Completed' : 'Error', startedAt: now, finishedAt: now } };
  return {
    phase: kind === 'CrashLoopBackOff' ? 'Running' : kind,
    startTime: now,
    conditions: [
      { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now },
      { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now },
    ],
    containerStatuses: [{
      name, image, imageID: '', ready, started: ready, state,
      restartCount: opts.restarts ?? (kind === 'CrashLoopBackOff' ? 5 : 0),
      ...(kind === 'CrashLoopBackOff' && { lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } } }),
    }],
  };
}

/** Marks a Deployment's rollout complete (or stuck at `available` replicas), as its controller would. */
export async function setDeploymentRollout(kc: KubeConfig, namespace: string, name: string, available?: number) {
  const apps = kc.makeApiClient(AppsV1Api);
  const d = await apps.readNamespacedDeployment({ namespace, name });
  const replicas = d.spec?.replicas ?? 1;
  const ready = available ?? replicas;
  const now = new Date();
  const status = {
    observedGeneration: d.metadata?.generation,
    replicas, updatedReplicas: replicas, readyReplicas: ready, availableReplicas: ready,
    unavailableReplicas: replicas - ready,
    conditions: [{
      type: 'Available', status: ready >= replicas ? 'True' : 'False',
      reason: ready >= replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      lastUpdateTime: now, lastTransitionTime: now,
    }],
  };
  return apps.patchNamespacedDeploymentStatus({ namespace, name, body: { status } }, mergePatch);
}
