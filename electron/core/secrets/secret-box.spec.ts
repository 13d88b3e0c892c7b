import { mkdtempSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFileBox, Redactor } from '.';

describe('keyFileBox', () => {
  it('round-trips, never stores clear text, and keeps its key file 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-sec-'));
    const box = keyFileBox(dir);
    const blob = box.encrypt('hunter2-very-secret');
    expect(blob).not.toContain('hunter2');
    expect(blob.startsWith('gcm1:')).toBe(true);
    expect(box.encrypt('hunter2-very-secret')).not.toBe(blob);
    expect(box.decrypt(blob)).toBe('hunter2-very-secret');
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    chmodSync(join(dir, 'secret.key'), 0o644);
    keyFileBox(dir);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('refuses a tampered blob, a blob from another key, and a safeStorage blob', () => {
    const a = keyFileBox(mkdtempSync(join(tmpdir(), 'outpost-sec-')));
    const b = keyFileBox(mkdtempSync(join(tmpdir(), 'outpost-sec-')));
    const blob = a.encrypt('s3cret');
    const raw = Buffer.from(blob.slice(5), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => a.decrypt('gcm1:' + raw.toString('base64'))).toThrow(expect.objectContaining({ code: 'secrets.undecryptable' }));
    expect(() => b.decrypt(blob)).toThrow(expect.objectContaining({ code: 'secrets.undecryptable' }));
    expect(() => a.decrypt('ss1:AAAA')).toThrow(expect.objectContaining({ code: 'secrets.other_scheme' }));
  });
});

describe('Redactor', () => {
  it('scrubs every registered secret, deeply', () => {
    const r = new Redactor();
    r.add('pa55word!');
    r.add('ab'); // too short to be a credential; must not blank out words
    expect(r.redact('sudo -S with pa55word! here')).toBe('sudo -S with «redacted» here');
    expect(r.redactDeep({ a: ['x pa55word!'], b: 2, c: 'about' })).toEqual({ a: ['x «redacted»'], b: 2, c: 'about' });
  });
});
