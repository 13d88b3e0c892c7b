import type { TFunction } from 'i18next';
import { OutpostError } from '../api/errors';
import { translate, type Msg } from '../i18n';
import { preflightMsg } from './msg';
import type { CheckResult, CheckStatus, PreflightReport } from './types';

/**
 * troubleshoot's `preflight` exit codes: 0 all passed, 1 other error, 2 invalid spec, 3 at least one
 * failure, 4 warnings only. 'error' (could not check) counts as a failure: nothing unchecked may look
 * like a pass; 'unsupported' counts as a warning.
 */
export function preflightExitCode(reportOrError: PreflightReport | unknown): 0 | 1 | 2 | 3 | 4 {
  if (reportOrError instanceof OutpostError) return reportOrError.code === 'preflight.spec_invalid' ? 2 : 1;
  const r = reportOrError as PreflightReport;
  if (!r || !r.summary) return 1;
  if (r.summary.fail > 0 || r.summary.error > 0) return 3;
  if (r.summary.warn > 0 || r.summary.unsupported > 0) return 4;
  return 0;
}

/** The report as JSON for `outpost preflight --json` and the diagnostic bundle (Msgs keep key, params and English text). */
export function preflightToJson(report: PreflightReport): string {
  return JSON.stringify(report, null, 2);
}

type Text = string | Msg | undefined;

function textOf(v: Text, t?: TFunction): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return t ? translate(t, v) : v.text;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const LABEL = (s: CheckStatus): Msg => preflightMsg(`status.${s}`);
const UI = (k: 'heading' | 'check' | 'site' | 'generated' | 'fix' | 'more'): Msg => preflightMsg(`html.${k}`);

/**
 * A standalone HTML page (no scripts, no external assets): one row per check, one column per host,
 * each cell the status with its message and fix. Pass `t` to render in the user's language.
 */
export function preflightToHtml(report: PreflightReport, t?: TFunction, opts: { lang?: string } = {}): string {
  const tr = (v: Text) => esc(textOf(v, t));
  // Rows: every check id in first-seen order, so hosts line up even when a check applies to some only.
  const rows = new Map<string, { title: Text; cells: Map<string, CheckResult> }>();
  for (const h of report.hosts) {
    for (const r of h.results) {
      const row = rows.get(r.id) ?? { title: r.title, cells: new Map() };
      row.cells.set(h.host, r);
      rows.set(r.id, row);
    }
  }
  const cell = (r: CheckResult | undefined) => {
    if (!r) return '<td class="na">—</td>';
    const fix = r.fix ? `<div class="fix"><b>${tr(UI('fix'))}:</b> ${tr(r.fix)}</div>` : '';
    const uri = r.uri ? ` <a href="${esc(r.uri)}">${tr(UI('more'))}</a>` : '';
    return `<td class="${r.status}"><span class="badge">${tr(LABEL(r.status))}</span><div>${tr(r.message)}${uri}</div>${fix}</td>`;
  };
  const s = report.summary;
  const summary = (['pass', 'warn', 'fail', 'unsupported', 'error'] as const)
    .map((k) => `<span class="pill ${k}">${tr(LABEL(k))}: ${s[k]}</span>`).join(' ');
  const body = [...rows.entries()].map(([id, row]) =>
    `<tr><th scope="row" title="${esc(id)}">${tr(row.title)}</th>${report.hosts.map((h) => cell(row.cells.get(h.host))).join('')}</tr>`).join('\n');
  const siteRows = report.site.map((r) =>
    `<tr><th scope="row" title="${esc(r.id)}">${tr(r.title)}</th>${cell(r).replace('<td ', `<td colspan="${Math.max(1, report.hosts.length)}" `)}</tr>`).join('\n');
  const title = `${tr(UI('heading'))}${report.name ? ` — ${esc(report.name)}` : ''}`;
  return `<!doctype html>
<html lang="${esc(opts.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #1f2328; }
h1 { font-size: 20px; margin: 0 0 4px; }
.meta { color: #59636e; margin-bottom: 12px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #d1d9e0; padding: 6px 8px; vertical-align: top; text-align: left; word-wrap: break-word; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
tbody th { width: 22%; font-weight: 600; background: #fbfbfc; }
.badge { display: inline-block; font-weight: 600; font-size: 12px; padding: 0 6px; border-radius: 10px; margin-bottom: 2px; }
.pill { display: inline-block; padding: 2px 8px; border-radius: 10px; margin-right: 4px; font-weight: 600; }
.pass .badge, .pill.pass { background: #dafbe1; color: #116329; }
.warn .badge, .pill.warn { background: #fff8c5; color: #7d4e00; }
.fail .badge, .pill.fail { background: #ffebe9; color: #a40e26; }
.unsupported .badge, .pill.unsupported { background: #eaeef2; color: #424a53; }
.error .badge, .pill.error { background: #fbefff; color: #8250df; }
td.fail { background: #fff5f5; } td.warn { background: #fffdf0; }
.fix { margin-top: 4px; color: #424a53; }
.na { color: #8c959f; text-align: center; }
@media print { thead th { position: static; } }
</style>
</head>
<body>
<h1>${title}</h1>
<div class="meta">${tr(UI('generated'))}: ${esc(report.generatedAt)} · ${summary}</div>
<table>
<thead><tr><th scope="col">${tr(UI('check'))}</th>${report.hosts.map((h) => `<th scope="col">${esc(h.host)}</th>`).join('')}</tr></thead>
<tbody>
${body}
${siteRows ? `<tr><th colspan="${report.hosts.length + 1}" class="site">${tr(UI('site'))}</th></tr>\n${siteRows}` : ''}
</tbody>
</table>
</body>
</html>
`;
}
