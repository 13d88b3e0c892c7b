import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../i18n';

const LABELS: Record<Language, string> = { en: 'EN', 'zh-CN': '简体中文' };

/** en / 简体中文 — each label in its own language, so anyone finds theirs. */
export function LanguageSwitch({ value, onChange }: { value: Language; onChange: (l: Language) => void }) {
  const { t } = useTranslation();
  return (
    <Segmented
      size="small"
      value={value}
      onChange={(v) => onChange(v as Language)}
      aria-label={t('header.language')}
      data-testid="language-switch"
      options={LANGUAGES.map((l) => ({ value: l, label: <span data-testid={`language-${l}`} lang={l}>{LABELS[l]}</span> }))}
    />
  );
}
