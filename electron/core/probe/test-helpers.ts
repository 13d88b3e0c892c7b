import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ExecResult } from './probe-hosts';

/**
 * Runs a probe script on this machine with a real POSIX shell (dash, busybox sh, bash --posix),
 * fed through stdin like `ssh host sh -s`: a real run of the script on a real Linux. Test-only.
 */
export function runLocal(script: string, opts: { shell?: 'sh' | 'dash' | 'busybox' | 'bash'; env?: Record<string, string> } = {}): Promise<ExecResult> {
  const shell = opts.shell ?? 'dash';
  const [cmd, args] = shell === 'busybox' ? ['busybox', ['sh', '-s']] : shell === 'bash' ? ['bash', ['--posix', '-s']] : [shell, ['-s']];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, LANG: 'zh_CN.UTF-8', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(script);
  });
}

/** Whether a shell exists here (busybox is a Debian package the tests may not find everywhere). */
export function hasShell(name: string): boolean {
  const paths = (process.env.PATH ?? '').split(':').concat(['/bin', '/usr/bin']);
  return paths.some((p) => p && existsSync(`${p}/${name}`));
}
