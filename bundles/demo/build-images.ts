/**
 * Builds the demo product's container images without Docker: Debian's busybox-static as the
 * single layer, written as one archive that is both an OCI image layout (oci-layout,
 * index.json, blobs/sha256/…) and a docker-archive (manifest.json), the way `docker save`
 * writes it since Docker 25. `ctr images import`, `docker load` and skopeo read either view.
 * Deterministic: the same busybox gives the same bytes.
 *
 *   node --import tsx bundles/demo/build-images.ts [--busybox /bin/busybox] [-o DIR]
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fsp, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tarChunks, type TarFile } from '../../electron/core/bundle/tar-write';

export const DEMO_IMAGES_FILE = 'outpost-demo-images.tar';

export interface DemoImage {
  ref: string;
  cmd: string[];
  port: number;
}

export const DEMO_IMAGES: DemoImage[] = [
  { ref: 'outpost.local/demo/db:1.0.0', cmd: ['sh', '-c', 'mkdir -p /data/www && echo ok > /data/www/healthz && exec httpd -f -p 6379 -h /data/www'], port: 6379 },
  { ref: 'outpost.local/demo/api:1.0.0', cmd: ['httpd', '-f', '-p', '8080', '-h', '/www'], port: 8080 },
];

const APPLETS = ['sh', 'ls', 'cat', 'echo', 'mkdir', 'httpd', 'wget', 'nc', 'env', 'ps', 'sleep'];

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Refuses a dynamically linked busybox: it would not run in a layer without libc. */
export function assertStaticElf(path: string): void {
  const b = readFileSync(path);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error(`${path} is not a 64-bit little-endian ELF file`);
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    if (b.readUInt32LE(phoff + i * phentsize) === 3) throw new Error(`${path} is dynamically linked; install Debian's busybox-static`);
  }
}

function busyboxVersion(path: string): string {
  try {
    return execFileSync(path, [], { encoding: 'utf8' }).split('\n')[0].trim();
  } catch (e) {
    // busybox with no applet prints its banner and exits 1
    return String((e as { stdout?: string }).stdout ?? '').split('\n')[0].trim() || 'BusyBox';
  }
}

export async function buildLayer(busybox: string): Promise<Buffer> {
  assertStaticElf(busybox);
  const bin = await fsp.readFile(busybox);
  const text = (s: string) => Buffer.from(s);
  const passwd = text('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  const group = text('root:x:0:\nnogroup:x:65534:\n');
  const health = text('ok\n');
  const entries: TarFile[] = [
    { path: 'bin', size: 0, executable: true, source: Buffer.alloc(0), type: 'directory' },
    { path: 'bin/busybox', size: bin.length, executable: true, source: bin },
    ...APPLETS.map((a): TarFile => ({ path: `bin/${a}`, size: 0, executable: true, source: Buffer.alloc(0), type: 'symlink', linkpath: 'busybox' })),
    { path: 'etc', size: 0, executable: true, source: Buffer.alloc(0), type: 'directory' },
    { path: 'etc/group', size: group.length, executable: false, source: group },
    { path: 'etc/passwd', size: passwd.length, executable: false, source: passwd },
    { path: 'tmp', size: 0, executable: true, source: Buffer.alloc(0), type: 'directory', mode: 0o1777 },
    { path: 'www', size: 0, executable: true, source: Buffer.alloc(0), type: 'directory' },
    { path: 'www/healthz', size: health.length, executable: false, source: health },
  ];
  return collect(tarChunks(entries));
}

export interface BuiltImages {
  file: string;
  layerDigest: string;
  images: { ref: string; manifestDigest: string; configDigest: string }[];
}

/** Writes the demo images archive into outDir and describes what it holds. */
export async function buildDemoImages(opts: { outDir: string; busybox?: string }): Promise<BuiltImages> {
  const busybox = opts.busybox ?? '/bin/busybox';
  const layer = await buildLayer(busybox);
  const layerHex = sha(layer);
  const version = busyboxVersion(busybox);
  const blobs = new Map<string, Buffer>([[layerHex, layer]]);
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const index: unknown[] = [];
  const dockerManifest: unknown[] = [];
  const images: BuiltImages['images'] = [];
  for (const img of DEMO_IMAGES) {
    const config = json({
      created: '2000-01-01T00:00:00Z',
      architecture: 'amd64',
      os: 'linux',
      config: {
        Entrypoint: ['/bin/busybox'],
        Cmd: img.cmd,
        Env: ['PATH=/bin'],
        WorkingDir: '/',
        ExposedPorts: { [`${img.port}/tcp`]: {} },
        Labels: { 'org.opencontainers.image.title': img.ref, 'org.opencontainers.image.description': `Outpost demo image: ${version}` },
      },
      rootfs: { type: 'layers', diff_ids: [`sha256:${layerHex}`] },
      history: [{ created: '2000-01-01T00:00:00Z', created_by: `outpost bundles/demo/build-images.ts: ${version}` }],
    });
    const configHex = sha(config);
    blobs.set(configHex, config);
    const manifest = json({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${configHex}`, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${layerHex}`, size: layer.length }],
    });
    const manifestHex = sha(manifest);
    blobs.set(manifestHex, manifest);
    index.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${manifestHex}`,
      size: manifest.length,
      platform: { architecture: 'amd64', os: 'linux' },
      annotations: { 'io.containerd.image.name': img.ref, 'org.opencontainers.image.ref.name': img.ref },
    });
    dockerManifest.push({ Config: `blobs/sha256/${configHex}`, RepoTags: [img.ref], Layers: [`blobs/sha256/${layerHex}`] });
    images.push({ ref: img.ref, manifestDigest: `sha256:${manifestHex}`, configDigest: `sha256:${configHex}` });
  }
  const indexJson = json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: index });
  const layout = json({ imageLayoutVersion: '1.0.0' });
  const manifestJson = json(dockerManifest);
  const file = (path: string, b: Buffer): TarFile => ({ path, size: b.length, executable: false, source: b });
  const dir = (path: string): TarFile => ({ path, size: 0, executable: true, source: Buffer.alloc(0), type: 'directory' });
  const entries: TarFile[] = [
    dir('blobs'),
    dir('blobs/sha256'),
    ...[...blobs.keys()].sort().map((hex) => file(`blobs/sha256/${hex}`, blobs.get(hex)!)),
    file('index.json', indexJson),
    file('manifest.json', manifestJson),
    file('oci-layout', layout),
  ];
  await fsp.mkdir(opts.outDir, { recursive: true });
  const out = join(opts.outDir, DEMO_IMAGES_FILE);
  await fsp.writeFile(out, await collect(tarChunks(entries)));
  return { file: out, layerDigest: `sha256:${layerHex}`, images };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const outDir = resolve(get('-o') ?? get('--out') ?? 'images');
  const r = await buildDemoImages({ outDir, busybox: get('--busybox') });
  console.log(JSON.stringify(r, null, 2));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
