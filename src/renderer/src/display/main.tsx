import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DisplayPage } from './DisplayPage.tsx';
import './display.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DisplayPage />
  </StrictMode>,
);
