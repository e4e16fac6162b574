// The UI language: Chinese by default, English on request, remembered in localStorage. The
// Chinese dictionary is in the entry chunk; the English one is fetched when chosen.
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useMemo, useState } from 'preact/hooks';
import { zh, type Dictionary, type MessageKey } from './zh.ts';

export type Lang = 'zh' | 'en';
export type { MessageKey };

const STORAGE_KEY = 'exchange.lang';

export function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export async function loadDictionary(lang: Lang): Promise<Dictionary> {
  return lang === 'zh' ? zh : (await import('./en.ts')).en;
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface I18n {
  lang: Lang;
  t: Translate;
  /** The text of an enum value, e.g. label('domain', 'TRANSPORT'); the raw value when there is none. */
  label: (group: string, value: string) => string;
  setLang: (lang: Lang) => Promise<void>;
  formatDate: (iso: string | null | undefined, withTime?: boolean) => string;
  formatNumber: (n: number) => string;
  /** Money from its yuan string: ¥1,234.50 */
  formatYuan: (yuan: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

function interpolate(text: string, params?: Record<string, string | number>): string {
  return params ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : text;
}

export function I18nProvider({ lang: initial, dictionary, children }: { lang: Lang; dictionary: Dictionary; children: ComponentChildren }) {
  const [state, setState] = useState({ lang: initial, dict: dictionary });
  const setLang = useCallback(async (lang: Lang) => {
    const dict = await loadDictionary(lang);
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    setState({ lang, dict });
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = state.lang === 'zh' ? 'zh-CN' : 'en-GB';
    const dateFmt = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' });
    const timeFmt = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    const numFmt = new Intl.NumberFormat(locale);
    const dict = state.dict as Record<string, string>;
    return {
      lang: state.lang,
      setLang,
      t: (key, params) => interpolate(dict[key] ?? key, params),
      label: (group, value) => dict[`${group}.${value}`] ?? value,
      formatDate: (iso, withTime = false) => (iso ? (withTime ? timeFmt : dateFmt).format(new Date(iso)) : '—'),
      formatNumber: (n) => numFmt.format(n),
      formatYuan: (yuan) => {
        const [whole, cents = '00'] = yuan.replace('-', '').split('.');
        return `${yuan.startsWith('-') ? '-' : ''}¥${numFmt.format(BigInt(whole || "0"))}.${cents}`;
      },
    };
  }, [state, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
