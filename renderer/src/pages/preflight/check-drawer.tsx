import { Alert, Button, Descriptions, Drawer, Flex, Tag, Typography } from 'antd';
import { LinkOutlined, ReloadOutlined, ToolOutlined } from '@ant-design/icons';
import { SITE, type Grid, type GridHost } from './grid-model';
import type { CellRef } from './check-grid';
import { StatusTag } from './status';
import { textOf, usePreflightT } from './i18n';

/** One cell in full: what was found, how to fix it, where the check comes from, and the same check on the other hosts. */
export function CheckDrawer({ cell, grid, onClose, onSelect, onRerun, busy }: {
  cell: CellRef | null;
  grid: Grid;
  onClose: () => void;
  onSelect: (c: CellRef) => void;
  onRerun?: (h: GridHost) => void;
  busy: boolean;
}) {
  const { t, tp } = usePreflightT();
  const result = cell ? cell.row.cells[cell.hostKey] : undefined;
  const host = cell && cell.hostKey !== SITE ? grid.hosts.find((h) => h.key === cell.hostKey) : undefined;
  const where = host ? host.name : tp('details.wholeSite');
  const fix = result ? textOf(t, result.fix) : '';
  const vendor = result && result.analyzer !== 'outpost';

  return (
    <Drawer
      open={!!cell && !!result}
      onClose={onClose}
      size={600}
      destroyOnHidden
      data-testid="pf-details"
      title={cell ? <span data-testid="pf-details-title">{textOf(t, cell.row.title)}</span> : null}
      extra={host && onRerun && host.hostId ? (
        <Button icon={<ReloadOutlined />} onClick={() => { onRerun(host); onClose(); }} disabled={busy} data-testid="pf-details-rerun">{tp('actions.rerunHost')}</Button>
      ) : null}
    >
      {cell && result && (
        <Flex vertical gap={16}>
          <Flex align="center" gap={8} wrap>
            <StatusTag status={result.status} />
            <Typography.Text strong data-testid="pf-details-host">{where}</Typography.Text>
            {host && host.name !== host.address && <Typography.Text type="secondary" className="mono">{host.address}</Typography.Text>}
          </Flex>
          <section aria-labelledby="pf-details-message">
            <Typography.Title level={5} id="pf-details-message" style={{ marginTop: 0 }}>{tp('details.message')}</Typography.Title>
            <Typography.Paragraph className="pf-details-text" data-testid="pf-details-message" style={{ marginBottom: 0 }}>{textOf(t, result.message)}</Typography.Paragraph>
          </section>
          <section aria-labelledby="pf-details-fix">
            <Typography.Title level={5} id="pf-details-fix">{tp('details.fix')}</Typography.Title>
            {fix
              ? <Alert type={result.status === 'pass' ? 'info' : 'warning'} showIcon icon={<ToolOutlined />} title={<span className="pf-details-text" data-testid="pf-details-fix">{fix}</span>} />
              : <Typography.Text type="secondary" data-testid="pf-details-fix">{tp('details.noFix')}</Typography.Text>}
            {result.uri && (
              <div style={{ marginTop: 8 }}>
                <a href={result.uri} target="_blank" rel="noreferrer noopener"><LinkOutlined /> {tp('details.more')}</a>
              </div>
            )}
          </section>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'id', label: tp('details.id'), children: <span className="mono" data-testid="pf-details-id">{result.id}</span> },
              { key: 'source', label: tp('details.source'), children: vendor ? tp('details.vendor', { analyzer: result.analyzer }) : tp('details.outpost') },
              ...(result.category ? [{ key: 'category', label: tp('details.category'), children: tp(`category.${result.category}`, { defaultValue: result.category }) }] : []),
              ...(result.strict ? [{ key: 'strict', label: tp('grid.strict'), children: <Tag color="red">{tp('details.strict')}</Tag> }] : []),
            ]}
          />
          {cell.row.scope === 'host' && grid.hosts.length > 1 && (
            <section aria-labelledby="pf-details-others">
              <Typography.Title level={5} id="pf-details-others">{tp('details.otherHosts')}</Typography.Title>
              <ul className="pf-others" data-testid="pf-details-others">
                {grid.hosts.map((h) => {
                  const r = cell.row.cells[h.key];
                  return (
                    <li key={h.key} className={h.key === cell.hostKey ? 'current' : undefined}>
                      <button type="button" className="pf-other" disabled={!r} onClick={() => onSelect({ row: cell.row, hostKey: h.key })} aria-current={h.key === cell.hostKey}>
                        <span className="pf-other-host">{h.name}</span>
                        {r ? <StatusTag status={r.status} /> : <span className="pf-cell-na">—</span>}
                        <span className="pf-other-msg">{r ? textOf(t, r.message) : ''}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
        </Flex>
      )}
    </Drawer>
  );
}
