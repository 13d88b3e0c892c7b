/**
 * Remembers every secret the core has seen in clear text and scrubs them from anything
 * headed for a log, a job journal, an error message or an export.
 */
export class Redactor {
  private secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short values would blank out ordinary words; they are never real credentials here.
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('«redacted»');
    return out;
  }

  redactDeep<T>(v: T): T {
    if (typeof v === 'string') return this.redact(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.redactDeep(x)) as T;
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.redactDeep(x)])) as T;
    }
    return v;
  }
}
