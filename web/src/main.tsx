// Entry: the chosen language's dictionary, the session, and the shell.
import { render } from 'preact';
import { App } from './app.tsx';
import { I18nProvider, initialLang, loadDictionary } from './i18n/i18n.tsx';
import { SessionProvider } from './session.tsx';
import './styles.css';

const lang = initialLang();
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
const dictionary = await loadDictionary(lang);
render(
  <I18nProvider lang={lang} dictionary={dictionary}>
    <SessionProvider>
      <App />
    </SessionProvider>
  </I18nProvider>,
  document.getElementById('app')!,
);
