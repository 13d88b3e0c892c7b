// Targets that fail the way real networks fail, for negative tests: refused, unreachable,
// timing out, silent, not SSH at all, or dropping the connection right after the banner.
import net from 'node:net';
import { allocSlots, canRunNamespaces, isRoot, makeNetns, pidTag, PREFIX, releaseSlot, removeNetnsSync, slotAddress } from './netns';
import { freePort, onExitCleanup, runOk } from './proc';

export interface Endpoint {
  address: string;
  port: number;
}

export interface Blackholes {
  /** Nothing listens: the connection is refused at once. */
  refused: Endpoint;
  /** Nobody answers ARP: EHOSTUNREACH after ~3 s. Null without namespaces. */
  unreachable: Endpoint | null;
  /** SYNs get no answer at all: the connect times out. Without namespaces, the same as `silent`. */
  timeout: Endpoint;
  /** Accepts TCP but never says anything (an SSH banner/handshake timeout). */
  silent: Endpoint;
  /** Speaks HTTP, not SSH. */
  http: Endpoint;
  /** Sends an OpenSSH banner, then closes. */
  bannerThenClose: Endpoint;
  stop(): Promise<void>;
}

function tcpServer(onConn: (s: net.Socket) => void): Promise<{ endpoint: Endpoint; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onConn(s);
  });
  return new Promise((resolve, reject) => {
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      resolve({
        endpoint: { address: '127.0.0.1', port },
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            srv.close(() => r());
          }),
      });
    });
  });
}

let blackholeCounter = 0;

export async function startBlackholes(): Promise<Blackholes> {
  const silent = await tcpServer(() => {});
  const http = await tcpServer((s) => {
    s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n'));
  });
  const banner = await tcpServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
  const refused: Endpoint = { address: '127.0.0.1', port: await freePort() };
  const servers = [silent, http, banner];

  let timeout = silent.endpoint;
  let unreachable: Endpoint | null = null;
  let netCleanup = async () => {};
  if (isRoot() && (await canRunNamespaces())) {
    // One namespace, two links: on the first a blackhole route swallows every reply (timeout);
    // on the second the namespace side stays down, so ARP is never answered (unreachable).
    const n = blackholeCounter++;
    const netns = `${PREFIX}-${process.pid}-bh${n}`;
    const vTimeout = `${PREFIX}${pidTag()}b${n.toString(36)}`;
    const vUnreach = `${PREFIX}${pidTag()}u${n.toString(36)}`;
    const [s1, s2] = await allocSlots(2);
    const unregister = onExitCleanup(() => removeNetnsSync(netns, [vTimeout, vUnreach]));
    await makeNetns(netns, vTimeout, s1!);
    await runOk('sh', ['-c', [
      `ip link add ${vUnreach} type veth peer name eth1 netns ${netns}`,
      `ip addr add ${slotAddress(s2!, 1)}/30 dev ${vUnreach}`,
      `ip link set ${vUnreach} up`,
      `ip -n ${netns} addr add ${slotAddress(s2!, 2)}/30 dev eth1`,
      `ip -n ${netns} route add blackhole ${slotAddress(s1!, 1)}/32`,
    ].join(' && ')]);
    timeout = { address: slotAddress(s1!, 2), port: 22 };
    unreachable = { address: slotAddress(s2!, 2), port: 22 };
    netCleanup = async () => {
      removeNetnsSync(netns, [vTimeout, vUnreach]);
      unregister();
      releaseSlot(s1!);
      releaseSlot(s2!);
    };
  }

  let stopping: Promise<void> | undefined;
  return {
    refused,
    unreachable,
    timeout,
    silent: silent.endpoint,
    http: http.endpoint,
    bannerThenClose: banner.endpoint,
    stop() {
      stopping ??= Promise.all([...servers.map((s) => s.close()), netCleanup()]).then(() => {});
      return stopping;
    },
  };
}

