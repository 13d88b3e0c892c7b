import type { ReactNode } from 'react';
import { Card, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from './page-header';

export interface EmptyPageProps {
  testId: string;
  icon: ReactNode;
  title: string;
  subtitle: string;
  emptyTitle: string;
  emptyText: string;
  /** What to do first, in order. */
  steps: string[];
  actions?: ReactNode;
}

/** A screen that has nothing to show yet: what will be here, and the first steps to get there. */
export function EmptyPage(p: EmptyPageProps) {
  const { t } = useTranslation();
  return (
    <div data-testid={`page-${p.testId}`}>
      <PageHeader title={p.title} subtitle={p.subtitle} />
      <Card className="empty-card">
        <Result
          icon={<span className="empty-icon">{p.icon}</span>}
          title={<span data-testid="empty-title">{p.emptyTitle}</span>}
          subTitle={<span data-testid="empty-text">{p.emptyText}</span>}
          extra={p.actions}
        />
        {p.steps.length > 0 && (
          <div className="first-steps">
            <Typography.Text strong>{t('common.firstSteps')}</Typography.Text>
            <ol>
              {p.steps.map((s, i) => <li key={i}>{s}</li>)}
            </ol>
          </div>
        )}
      </Card>
    </div>
  );
}
