import '@mantine/core/styles.css';
import './app/app.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { queryClient } from './app/query-client';
import { startI18n } from './i18n/i18n';
import { prefetchMe } from './session/SessionProvider';

prefetchMe(queryClient);
void startI18n().then(() => {
  createRoot(document.getElementById('root')!).render(<App />);
});
