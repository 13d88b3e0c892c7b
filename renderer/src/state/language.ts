import { useCallback, useEffect, useState } from 'react';
import i18next from 'i18next';
import { api } from '../api';
import { isLanguage, rememberLanguage, type Language } from '../i18n';
import { useEvent, useReconnect } from './events';

/** The UI language: the core's setting wins (shared with the CLI and other windows); switching saves it there. */
export function useLanguage(): { language: Language; setLanguage: (l: Language) => Promise<void> } {
  const [language, setLang] = useState<Language>(isLanguage(i18next.language) ? i18next.language : 'en');

  const apply = useCallback(async (l: Language) => {
    rememberLanguage(l);
    setLang(l);
    if (i18next.language !== l) await i18next.changeLanguage(l);
  }, []);

  const fromCore = useCallback(async () => {
    try {
      const s = await api.settings.get();
      if (isLanguage(s.language)) await apply(s.language);
    } catch {
      /* keep the remembered language; the connection banner says what is wrong */
    }
  }, [apply]);

  useEffect(() => { void fromCore(); }, [fromCore]);
  useReconnect(fromCore);
  useEvent('store.changed', (c) => { if (c.collection === 'settings') void fromCore(); });

  const setLanguage = useCallback(async (l: Language) => {
    await apply(l);
    await api.settings.update({ language: l });
  }, [apply]);

  return { language, setLanguage };
}
