import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMedia } from './media';

const block = (o: Partial<import('systeminformation').Systeminformation.BlockDevicesData>) => ({
  name: '', identifier: '', type: 'part', fsType: '', mount: '', size: 0, physical: '', uuid: '', label: '', model: '', serial: '', removable: false, protocol: '', ...o,
});
const fs = (mount: string, size = 100, available = 40, type = 'vfat') => ({ fs: '/dev/x', type, size, used: size - available, available, use: 0, mount, rw: true });

describe('listMedia', () => {
  it('on Linux: removable block devices and mounts under /media, /run/media, /mnt (not virtual ones)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mounts-'));
    const mounts = join(d, 'mounts');
    writeFileSync(
      mounts,
      [
        '/dev/vda / ext4 rw 0 0',
        '/dev/sdb1 /media/eng/USB\\040STICK vfat rw 0 0',
        '/dev/loop3 /mnt/usb ext4 rw 0 0',
        'tmpfs /mnt/scratch tmpfs rw 0 0',
        '/dev/sdc1 /run/media/eng/DATA exfat rw 0 0',
        '/dev/vdb /srv ext4 rw 0 0',
      ].join('\n'),
    );
    const media = await listMedia({
      platform: 'linux',
      mountsFile: mounts,
      blockDevices: async () => [block({ name: 'sdb1', mount: '/media/eng/USB STICK', removable: true, label: 'USB STICK', fsType: 'vfat', device: '/dev/sdb' }), block({ name: 'vda', mount: '/', type: 'disk' })],
      fsSize: async () => [fs('/media/eng/USB STICK', 16e9, 8e9), fs('/mnt/usb', 1e9, 5e8, 'ext4')],
    });
    expect(media.map((m) => [m.mount, m.source, m.removable])).toEqual([
      ['/media/eng/USB STICK', 'block-device', true],
      ['/mnt/usb', 'mount-point', false],
      ['/run/media/eng/DATA', 'mount-point', false],
    ]);
    expect(media[0]).toMatchObject({ label: 'USB STICK', sizeBytes: 16e9, freeBytes: 8e9, fsType: 'vfat' });
    expect(media[1]).toMatchObject({ device: '/dev/loop3', fsType: 'ext4', sizeBytes: 1e9 });
  });

  it('on Windows: every drive letter, removable ones first', async () => {
    const media = await listMedia({
      platform: 'win32',
      blockDevices: async () => [block({ name: 'E:', mount: 'E:', removable: true, label: 'VENDOR', fsType: 'FAT32' })],
      fsSize: async () => [fs('C:', 500e9, 100e9, 'NTFS'), fs('E:', 32e9, 30e9, 'FAT32')],
    });
    expect(media.map((m) => [m.mount, m.removable, m.source])).toEqual([
      ['E:\\', true, 'block-device'],
      ['C:\\', false, 'drive-letter'],
    ]);
    expect(media[0]).toMatchObject({ label: 'VENDOR', sizeBytes: 32e9 });
  });

  it('on macOS: volumes under /Volumes', async () => {
    const media = await listMedia({ platform: 'darwin', blockDevices: async () => [], fsSize: async () => [fs('/'), fs('/Volumes/USB')] });
    expect(media.map((m) => m.mount)).toEqual(['/Volumes/USB']);
  });
});
