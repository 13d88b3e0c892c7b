/**
 * The Preflight screen's strings live in their own namespace (locales/<lang>/ui-preflight.json):
 * `tp` reads them, `t` the app's shared catalog (ui.json) and, through msgText, the core's messages.
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Msg } from '../../../../electron/core/api/types';
import type { CheckStatus } from '../../../../electron/core/preflight/types';
import { msgText } from '../../i18n';

export const NS = 'ui-preflight';

export function usePreflightT(): { t: TFunction; tp: TFunction } {
  const { t } = useTranslation();
  const { t: tp } = useTranslation(NS);
  return { t, tp };
}

/** A core value to show: a vendor's string exactly as written, or our Msg translated (English text as fallback). */
export function textOf(t: TFunction, v: string | Msg | undefined | null): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : msgText(t, v);
}

/** pass / warn / … in the words the HTML report uses too (preflight catalog). */
export function statusText(t: TFunction, s: CheckStatus | 'na'): string {
  return s === 'na' ? t(`${NS}:status.na`) : t(`preflight:status.${s}`);
}
