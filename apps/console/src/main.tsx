import '@mantine/core/styles.css';
import './app/app.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startI18n } from './i18n/i18n';

void startI18n().then(() => {
  createRoot(document.getElementById('root')!).render(<App />);
});
