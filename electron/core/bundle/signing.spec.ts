import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSignature, generateKeyPair, parsePublicKey, parseSecretKey, publicKeyOf, signSums } from './signing';

const msg = Buffer.from('a'.repeat(64) + '  bundle.yaml\n');

describe('signing', () => {
  const kp = generateKeyPair({ comment: 'test vendor' });
  const pub = parsePublicKey(kp.publicKey, 'test vendor');

  it('makes signify-format keys whose ids match', () => {
    expect(kp.publicKey).toMatch(/^untrusted comment: test vendor public key\nRW[QRST]/);
    expect(pub.keyId).toBe(kp.keyId);
    expect(parseSecretKey(kp.secretKey).keyId).toBe(kp.keyId);
    expect(publicKeyOf(parseSecretKey(kp.secretKey))).toContain(kp.publicKey.split('\n')[1]);
    // The bare base64 line is enough to pin a key.
    expect(parsePublicKey(kp.publicKey.split('\n')[1]).keyId).toBe(kp.keyId);
  });

  it('signs deterministically and verifies', () => {
    const sig = signSums(msg, parseSecretKey(kp.secretKey));
    expect(signSums(msg, parseSecretKey(kp.secretKey))).toBe(sig);
    expect(checkSignature(msg, sig, [pub])).toEqual({ status: 'valid', keyId: kp.keyId, keyName: 'test vendor' });
  });

  it('tells unsigned, untrusted, invalid and malformed apart', () => {
    const other = generateKeyPair();
    const sig = signSums(msg, parseSecretKey(other.secretKey));
    expect(checkSignature(msg, undefined, [pub]).status).toBe('unsigned');
    expect(checkSignature(msg, sig, [pub])).toEqual({ status: 'untrusted', keyId: other.keyId });
    expect(checkSignature(msg, sig, [])).toMatchObject({ status: 'untrusted' });
    const good = signSums(msg, parseSecretKey(kp.secretKey));
    expect(checkSignature(Buffer.concat([msg, Buffer.from('x')]), good, [pub])).toMatchObject({ status: 'invalid', keyId: kp.keyId });
    expect(checkSignature(msg, 'garbage!', [pub])).toMatchObject({ status: 'invalid' });
    expect(checkSignature(msg, 'untrusted comment: x\nRWQ=\n', [pub])).toMatchObject({ status: 'invalid', reason: 'not a signify Ed signature' });
  });

  it('accepts PEM ed25519 keys too', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const sk = parseSecretKey(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const pk = parsePublicKey(publicKey.export({ type: 'spki', format: 'pem' }) as string);
    expect(sk.keyId).toBe(pk.keyId);
    expect(checkSignature(msg, signSums(msg, sk), [pk]).status).toBe('valid');
  });

  it('refuses other keys with a clear error', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(() => parsePublicKey(rsa, 'rsa.pub')).toThrow(/rsa.pub is not a valid ed25519 key: rsa key/);
    expect(() => parsePublicKey('hello', 'x.pub')).toThrow(/x.pub is not a valid ed25519 key/);
    // A passphrase-protected signify key (kdfrounds 42) is named as such.
    const b = Buffer.from(kp.secretKey.split('\n')[1], 'base64');
    b.writeUInt32BE(42, 4);
    expect(() => parseSecretKey(`untrusted comment: x\n${b.toString('base64')}\n`, 'vendor.sec')).toThrow(expect.objectContaining({ code: 'bundle.key_encrypted' }));
  });

  const signify = (() => {
    try {
      execFileSync('signify-openbsd', ['-h'], { stdio: 'ignore' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    }
    return 'signify-openbsd';
  })();

  it.skipIf(!signify)('is compatible with OpenBSD signify both ways', async () => {
    const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const d = mkdtempSync(join(tmpdir(), 'sig-'));
    writeFileSync(join(d, 'k.pub'), kp.publicKey);
    writeFileSync(join(d, 'k.sec'), kp.secretKey);
    writeFileSync(join(d, 'SHA256SUMS'), msg);
    writeFileSync(join(d, 'SHA256SUMS.sig'), signSums(msg, parseSecretKey(kp.secretKey)));
    execFileSync(signify!, ['-V', '-q', '-p', join(d, 'k.pub'), '-m', join(d, 'SHA256SUMS')]);
    execFileSync(signify!, ['-G', '-n', '-p', join(d, 's.pub'), '-s', join(d, 's.sec')]);
    execFileSync(signify!, ['-S', '-s', join(d, 's.sec'), '-m', join(d, 'SHA256SUMS'), '-x', join(d, 'by-signify.sig')]);
    const theirs = parsePublicKey(readFileSync(join(d, 's.pub'), 'utf8'));
    expect(checkSignature(msg, readFileSync(join(d, 'by-signify.sig'), 'utf8'), [theirs]).status).toBe('valid');
    expect(parseSecretKey(readFileSync(join(d, 's.sec'), 'utf8')).keyId).toBe(theirs.keyId);
  });
});
