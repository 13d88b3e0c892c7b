import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

/** Title row of a screen: what it is, one line on what it is for, and its main actions. */
export function PageHeader({ title, subtitle, extra, breadcrumb }: { title: ReactNode; subtitle?: ReactNode; extra?: ReactNode; breadcrumb?: ReactNode }) {
  return (
    <div className="page-header">
      {breadcrumb}
      <Flex justify="space-between" align="flex-start" gap={16} wrap>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">{title}</Typography.Title>
          {subtitle && <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>{subtitle}</Typography.Paragraph>}
        </div>
        {extra && <Flex gap={8} wrap>{extra}</Flex>}
      </Flex>
    </div>
  );
}
