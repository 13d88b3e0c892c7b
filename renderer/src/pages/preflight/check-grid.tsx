import { useMemo, useState, type KeyboardEvent } from 'react';
import { Button, Empty, Flex, Segmented, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import type { CheckResult } from '../../../../electron/core/preflight/types';
import { SITE, type Grid, type GridHost, type GridRow } from './grid-model';
import { StatusTag } from './status';
import { statusText, textOf, usePreflightT } from './i18n';

export interface CellRef { row: GridRow; hostKey: string }

type Line =
  | { kind: 'section'; key: string; scope: 'host' | 'site' }
  | { kind: 'check'; key: string; row: GridRow; index: number };

/** Arrow keys move between the grid's cells (each cell is a button: Tab and Enter work as well). */
function moveFocus(e: KeyboardEvent<HTMLDivElement>): void {
  const dirs: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const d = dirs[e.key];
  const el = e.target as HTMLElement;
  if (!d || !el.dataset.pfR) return;
  const r = Number(el.dataset.pfR);
  const c = Number(el.dataset.pfC);
  const cells = [...e.currentTarget.querySelectorAll<HTMLElement>('[data-pf-r]')];
  const at = (rr: number, cc: number) => cells.find((x) => Number(x.dataset.pfR) === rr && Number(x.dataset.pfC) === cc);
  let target: HTMLElement | undefined;
  if (d[0]) {
    // Up/down: the same column on the next row that has a cell there (a site row has one cell only).
    const rows = [...new Set(cells.map((x) => Number(x.dataset.pfR)))].sort((a, b) => a - b);
    for (let i = rows.indexOf(r) + d[0]; i >= 0 && i < rows.length && !target; i += d[0]) {
      const inRow = cells.filter((x) => Number(x.dataset.pfR) === rows[i]);
      target = at(rows[i], c) ?? inRow.reduce<HTMLElement | undefined>((best, x) => (!best || Math.abs(Number(x.dataset.pfC) - c) < Math.abs(Number(best.dataset.pfC) - c) ? x : best), undefined);
    }
  } else {
    target = at(r, c + d[1]);
  }
  if (target) {
    e.preventDefault();
    target.focus();
    target.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
}

function Cell({ result, row, host, r, c, wide, onOpen }: {
  result: CheckResult | undefined;
  row: GridRow;
  host: { key: string; name: string };
  r: number;
  c: number;
  /** Site-wide cells span every host column: room for the whole message. */
  wide?: boolean;
  onOpen: () => void;
}) {
  const { t, tp } = usePreflightT();
  if (!result) {
    return <span className="pf-cell-na" aria-label={tp('status.na')} data-testid={`pf-cell-${row.id}-${host.name}`} data-status="na">—</span>;
  }
  const message = textOf(t, result.message);
  const showMessage = wide || result.status !== 'pass';
  const button = (
    <button
      type="button"
      className={`pf-cell pf-cell-${result.status}`}
      data-testid={`pf-cell-${row.id}-${host.name}`}
      data-status={result.status}
      data-pf-r={r}
      data-pf-c={c}
      aria-label={tp('grid.cellLabel', { check: textOf(t, row.title), host: host.name, status: statusText(t, result.status) })}
      onClick={onOpen}
    >
      <StatusTag status={result.status} />
      {showMessage && <span className={wide ? 'pf-cell-msg pf-cell-msg-wide' : 'pf-cell-msg'}>{message}</span>}
    </button>
  );
  return showMessage ? button : <Tooltip title={message} mouseEnterDelay={0.4}>{button}</Tooltip>;
}

function HostHeader({ host, onRerun, busy }: { host: GridHost; onRerun?: (h: GridHost) => void; busy: boolean }) {
  const { tp } = usePreflightT();
  const bad = host.counts.fail + host.counts.error;
  return (
    <Flex justify="space-between" align="flex-start" gap={4} data-testid={`pf-host-${host.name}`}>
      <div style={{ minWidth: 0 }}>
        <div className="pf-host-name">{host.name}</div>
        {host.name !== host.address && <div className="pf-host-address mono">{host.address}</div>}
        <div className={`pf-host-counts${bad ? ' bad' : host.counts.warn ? ' warn' : ''}`}>
          {bad || host.counts.warn ? tp('grid.hostCounts', { fail: bad, warn: host.counts.warn }) : tp('grid.hostClean')}
        </div>
      </div>
      {onRerun && host.hostId && (
        <Tooltip title={tp('actions.rerunHost')}>
          <Button
            size="small"
            type="text"
            icon={<ReloadOutlined />}
            aria-label={`${tp('actions.rerunHost')}: ${host.name}`}
            disabled={busy}
            onClick={() => onRerun(host)}
            data-testid={`pf-rerun-${host.name}`}
          />
        </Tooltip>
      )}
    </Flex>
  );
}

/** Rows are checks, columns are hosts; site-wide checks get their own section with one wide cell. */
export function CheckGrid({ grid, onOpen, onRerun, busy }: {
  grid: Grid;
  onOpen: (c: CellRef) => void;
  onRerun?: (h: GridHost) => void;
  busy: boolean;
}) {
  const { t, tp } = usePreflightT();
  const [filter, setFilter] = useState<'all' | 'problems'>('all');
  const n = grid.hosts.length;

  const lines = useMemo<Line[]>(() => {
    const shown = grid.rows.filter((r) => filter === 'all' || r.worst !== 'pass');
    const hostRows = shown.filter((r) => r.scope === 'host');
    const siteRows = shown.filter((r) => r.scope === 'site');
    const out: Line[] = [];
    let i = 0;
    const sections = siteRows.length > 0;
    if (sections && hostRows.length) out.push({ kind: 'section', key: 'section:host', scope: 'host' });
    for (const row of hostRows) out.push({ kind: 'check', key: `host:${row.id}`, row, index: i++ });
    if (sections) out.push({ kind: 'section', key: 'section:site', scope: 'site' });
    for (const row of siteRows) out.push({ kind: 'check', key: `site:${row.id}`, row, index: i++ });
    return out;
  }, [grid, filter]);

  const columns: TableColumnsType<Line> = [
    {
      key: 'check',
      title: tp('grid.check'),
      fixed: 'left',
      width: 300,
      onCell: (l) => (l.kind === 'section' ? { colSpan: n + 1, className: 'pf-section-cell' } : {}),
      render: (_, l) => {
        if (l.kind === 'section') {
          return <Typography.Text strong data-testid={`pf-section-${l.scope}`}>{tp(l.scope === 'host' ? 'grid.hostSection' : 'grid.siteSection')}</Typography.Text>;
        }
        const { row } = l;
        return (
          <div className="pf-check" data-testid={`pf-row-${row.id}`} data-worst={row.worst}>
            <div className="pf-check-title">{textOf(t, row.title)}</div>
            <Flex gap={6} align="center" wrap className="pf-check-meta">
              <span className="mono">{row.id}</span>
              {row.strict && <Tooltip title={tp('grid.strictHint')}><Tag color="red" variant="outlined" className="pf-mini-tag">{tp('grid.strict')}</Tag></Tooltip>}
            </Flex>
          </div>
        );
      },
    },
    ...grid.hosts.map((h, c): TableColumnsType<Line>[number] => ({
      key: `host:${h.key}`,
      title: <HostHeader host={h} onRerun={onRerun} busy={busy} />,
      width: 240,
      onCell: (l) => {
        if (l.kind === 'section') return { colSpan: 0 };
        if (l.row.scope === 'site') return c === 0 ? { colSpan: n } : { colSpan: 0 };
        return {};
      },
      render: (_, l) => {
        if (l.kind === 'section') return null;
        if (l.row.scope === 'site') {
          return <Cell result={l.row.cells[SITE]} row={l.row} host={{ key: SITE, name: SITE }} r={l.index} c={0} wide onOpen={() => onOpen({ row: l.row, hostKey: SITE })} />;
        }
        return <Cell result={l.row.cells[h.key]} row={l.row} host={h} r={l.index} c={c} onOpen={() => onOpen({ row: l.row, hostKey: h.key })} />;
      },
    })),
  ];

  const problems = grid.rows.filter((r) => r.worst !== 'pass').length;
  return (
    <div className="pf-grid" data-testid="preflight-grid">
      <Flex justify="space-between" align="center" gap={12} wrap className="pf-grid-toolbar">
        <Segmented
          size="small"
          value={filter}
          onChange={(v) => setFilter(v as 'all' | 'problems')}
          data-testid="pf-filter"
          options={[
            { value: 'all', label: `${tp('grid.allChecks')} (${grid.rows.length})` },
            { value: 'problems', label: `${tp('grid.problemsOnly')} (${problems})` },
          ]}
        />
        <Typography.Text type="secondary" className="pf-hint">{tp('grid.keyboardHint')}</Typography.Text>
      </Flex>
      <div onKeyDown={moveFocus} role="region" aria-label={tp('grid.label')}>
        <Table<Line>
          rowKey="key"
          size="small"
          bordered
          dataSource={lines}
          columns={columns}
          pagination={false}
          scroll={{ x: 300 + 240 * n }}
          sticky={{ offsetHeader: 56 }}
          rowClassName={(l) => (l.kind === 'section' ? 'pf-section-row' : `pf-row pf-row-${l.row.worst}`)}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filter === 'problems' ? tp('grid.noProblems') : tp('grid.empty')} /> }}
        />
      </div>
    </div>
  );
}
