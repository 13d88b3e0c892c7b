/** One delimited part of the probe output. */
export interface Section {
  name: string;
  body: string;
  /** Exit status of the section's subshell; null when the end marker never came (killed, cut off). */
  rc: number | null;
}

export interface SplitOutput {
  token: string | null;
  version: number | null;
  /** Sections in output order; a name may repeat (time.start/time.end are distinct names). */
  sections: Section[];
  /** The script reached its final marker. */
  complete: boolean;
}

const HEAD_RX = /^@@OUTPOST:([A-Za-z0-9]+):probe:(\d+)@@$/m;

/**
 * Splits the raw output into sections. The token printed in the first marker line is the only one
 * honoured, so a copied file that happens to contain '@@OUTPOST:' lines cannot open or close sections.
 */
export function splitSections(raw: string): SplitOutput {
  const text = raw.replace(/\r\n/g, '\n');
  const head = HEAD_RX.exec(text);
  if (!head) return { token: null, version: null, sections: [], complete: false };
  const token = head[1];
  const prefix = `@@OUTPOST:${token}:`;
  const sections: Section[] = [];
  let open: { name: string; lines: string[] } | null = null;
  let complete = false;
  const close = (rc: number | null) => {
    if (!open) return;
    const lines = open.lines;
    // Markers print a leading newline so they always start a line; drop the blank lines they add.
    while (lines.length && lines[0] === '') lines.shift();
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    sections.push({ name: open.name, body: lines.join('\n'), rc });
    open = null;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith(prefix) && line.endsWith('@@')) {
      const inner = line.slice(prefix.length, -2);
      if (inner.startsWith('begin:')) {
        close(null);
        open = { name: inner.slice(6), lines: [] };
        continue;
      }
      if (inner.startsWith('end:')) {
        const rest = inner.slice(4);
        const at = rest.lastIndexOf(':');
        const name = rest.slice(0, at);
        const rc = Number.parseInt(rest.slice(at + 1), 10);
        if (open && open.name === name) close(Number.isFinite(rc) ? rc : null);
        continue;
      }
      if (inner === 'done') { close(null); complete = true; continue; }
      if (inner.startsWith('probe:')) continue;
    }
    if (open) open.lines.push(line);
  }
  close(null);
  return { token, version: Number(head[2]), sections, complete };
}

/** `key=value` lines into a map; later keys win, repeated keys are also kept in `all`. */
export function parseKv(body: string): { get(k: string): string | undefined; all(k: string): string[] } {
  const map = new Map<string, string[]>();
  for (const line of body.split('\n')) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim();
    const v = line.slice(i + 1).trim();
    const list = map.get(k) ?? [];
    list.push(v);
    map.set(k, list);
  }
  return {
    get: (k) => map.get(k)?.at(-1),
    all: (k) => map.get(k) ?? [],
  };
}

/** Splits a body on '#name' header lines (e.g. '#dpkg', '#rpm'); text before the first header is under ''. */
export function splitSub(body: string, headers: readonly string[]): Map<string, string> {
  const out = new Map<string, string[]>();
  let cur = '';
  out.set(cur, []);
  for (const line of body.split('\n')) {
    const h = line.startsWith('#') ? line.slice(1).trim() : null;
    if (h !== null && headers.some((x) => h === x || h.startsWith(x + '='))) {
      cur = h;
      if (!out.has(cur)) out.set(cur, []);
      continue;
    }
    out.get(cur)!.push(line);
  }
  return new Map([...out].map(([k, v]) => [k, v.join('\n')]));
}
