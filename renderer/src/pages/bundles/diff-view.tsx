import { Alert, Card, Col, Collapse, Empty, Flex, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { BundleDiff, ChartChange } from '../../../../electron/core/api/types';

const CHANGE_COLOR: Record<ChartChange['change'], string> = { added: 'green', removed: 'red', changed: 'orange', unchanged: 'default' };

function FromTo({ from, to, changed, testid }: { from?: string; to?: string; changed: boolean; testid?: string }) {
  if (!changed) return <span data-testid={testid} data-changed="false">{to ?? from ?? '—'}</span>;
  return (
    <Flex gap={6} align="center" wrap data-testid={testid} data-changed="true">
      <Typography.Text delete type="secondary">{from ?? '—'}</Typography.Text>
      <ArrowRightOutlined style={{ fontSize: 11, color: '#8c8c8c' }} />
      <Typography.Text strong>{to ?? '—'}</Typography.Text>
    </Flex>
  );
}

/** A unified diff with its lines coloured like a code review. */
function UnifiedDiff({ text, testid }: { text: string; testid?: string }) {
  return (
    <pre className="mono unified-diff" data-testid={testid}>
      {text.trimEnd().split('\n').map((l, i) => {
        const cls = l.startsWith('+++') || l.startsWith('---') ? 'ud-file' : l.startsWith('@@') ? 'ud-hunk' : l.startsWith('+') ? 'ud-add' : l.startsWith('-') ? 'ud-del' : '';
        return <div key={i} className={cls}>{l || ' '}</div>;
      })}
    </pre>
  );
}

function Changes({ title, added, removed, changed = [], testid }: { title: string; added: string[]; removed: string[]; changed?: string[]; testid: string }) {
  const { t } = useTranslation();
  const none = added.length + removed.length + changed.length === 0;
  return (
    <Card size="small" title={title} data-testid={testid}>
      {none ? <Typography.Text type="secondary">{t('bundles.diff.noChange')}</Typography.Text> : (
        <Space orientation="vertical" size={2} style={{ width: '100%' }}>
          {added.map((x) => <div key={`+${x}`} className="mono ud-add">+ {x}</div>)}
          {removed.map((x) => <div key={`-${x}`} className="mono ud-del">- {x}</div>)}
          {changed.map((x) => <div key={`~${x}`} className="mono ud-chg">~ {x}</div>)}
        </Space>
      )}
    </Card>
  );
}

/**
 * What installing `diff.to` would change on a site that runs `diff.from`: k3s, charts (added,
 * removed, new version, changed files or values template), images, questions, specs, files.
 */
export function DiffView({ diff }: { diff: BundleDiff }) {
  const { t } = useTranslation();
  const changedCharts = diff.charts.filter((c) => c.change !== 'unchanged');
  const specs = (Object.keys(diff.specs) as (keyof BundleDiff['specs'])[]).filter((k) => diff.specs[k]);
  const files = diff.files.added.length + diff.files.removed.length + diff.files.changed.length;

  if (diff.identical) {
    return <Alert type="info" showIcon data-testid="bundle-diff" data-identical="true" title={t('bundles.diff.identical', { from: diff.from.version, to: diff.to.version })} />;
  }
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="bundle-diff" data-identical="false">
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Card size="small"><Statistic title={t('bundles.diff.k3s')} valueRender={() => <FromTo from={diff.k3s.from} to={diff.k3s.to} changed={diff.k3s.changed} testid="diff-k3s" />} /></Card>
        </Col>
        <Col xs={12} md={8}>
          <Card size="small"><Statistic title={t('bundles.diff.chartsChanged')} value={changedCharts.length} suffix={`/ ${diff.charts.length}`} data-testid="diff-charts-count" /></Card>
        </Col>
        <Col xs={12} md={8}>
          <Card size="small"><Statistic title={t('bundles.diff.filesChanged')} value={files} data-testid="diff-files-count" /></Card>
        </Col>
      </Row>
      {(diff.helm.changed || diff.groups.orderChanged || specs.length > 0) && (
        <Flex gap={8} wrap data-testid="diff-notes">
          {diff.helm.changed && <Tag color="orange">{t('bundles.diff.helmChanged')}</Tag>}
          {diff.groups.orderChanged && <Tag color="orange">{t('bundles.diff.groupOrder', { from: diff.groups.from.join(' → '), to: diff.groups.to.join(' → ') })}</Tag>}
          {specs.map((s) => <Tag key={s} color="gold">{t(`bundles.diff.spec.${s}`)}</Tag>)}
        </Flex>
      )}
      <Card size="small" title={t('bundles.diff.charts')} styles={{ body: { padding: 0 } }}>
        <Table<ChartChange>
          size="small"
          rowKey="release"
          pagination={false}
          dataSource={diff.charts}
          data-testid="diff-charts"
          onRow={(c) => ({ 'data-testid': `diff-chart-${c.release}`, 'data-change': c.change } as object)}
          columns={[
            { title: t('bundles.diff.change'), dataIndex: 'change', width: 120, render: (c: ChartChange['change']) => <Tag color={CHANGE_COLOR[c]}>{t(`bundles.diff.changeKind.${c}`)}</Tag> },
            { title: t('bundles.diff.release'), dataIndex: 'release', render: (r: string, c) => <div><Typography.Text strong>{r}</Typography.Text><div className="cell-note">{(c.to ?? c.from)?.namespace} · {(c.to ?? c.from)?.group}</div></div> },
            { title: t('bundles.diff.chart'), key: 'chart', render: (_, c) => (c.to ?? c.from)?.name ?? (c.to ?? c.from)?.chart },
            { title: t('bundles.diff.version'), key: 'v', render: (_, c) => <FromTo from={c.from?.version} to={c.to?.version} changed={!!c.from && !!c.to && c.from.version !== c.to.version} testid="diff-chart-version" /> },
            {
              title: t('bundles.diff.what'), key: 'what',
              render: (_, c) => (
                <Flex gap={4} wrap>
                  {c.chartChanged && c.change === 'changed' && <Tag>{t('bundles.diff.chartFiles')}</Tag>}
                  {c.valuesChanged && <Tag color="purple">{t('bundles.diff.valuesChanged')}</Tag>}
                  {c.groupChanged && <Tag>{t('bundles.diff.groupChanged')}</Tag>}
                </Flex>
              ),
            },
          ]}
        />
      </Card>
      {diff.charts.some((c) => c.valuesDiff) && (
        <Card size="small" title={t('bundles.diff.values')}>
          <Collapse
            size="small"
            defaultActiveKey={diff.charts.filter((c) => c.valuesDiff).map((c) => c.release)}
            items={diff.charts.filter((c) => c.valuesDiff).map((c) => ({
              key: c.release,
              label: <span className="mono">{c.to?.values ?? c.from?.values} ({c.release})</span>,
              children: <UnifiedDiff text={c.valuesDiff!} testid={`diff-values-${c.release}`} />,
            }))}
          />
        </Card>
      )}
      <Row gutter={16}>
        <Col xs={24} md={12}><Changes title={t('bundles.diff.images')} added={diff.images.added} removed={diff.images.removed} changed={diff.images.archivesChanged} testid="diff-images" /></Col>
        <Col xs={24} md={12}><Changes title={t('bundles.diff.questions')} added={diff.questions.added} removed={diff.questions.removed} changed={diff.questions.changed} testid="diff-questions" /></Col>
      </Row>
      {files > 0 ? (
        <Collapse size="small" items={[{
          key: 'files',
          label: t('bundles.diff.files', { changed: diff.files.changed.length, added: diff.files.added.length, removed: diff.files.removed.length }),
          children: <Changes title={t('bundles.diff.fileList')} added={diff.files.added} removed={diff.files.removed} changed={diff.files.changed} testid="diff-files" />,
        }]} />
      ) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bundles.diff.noChange')} />}
    </Space>
  );
}
