import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CheckoutPage } from './CheckoutPage.tsx';
import './checkout.css';

// The page is /pay/<invoice id>; everything it shows comes from ./<id>/status.json.
const id = decodeURIComponent(window.location.pathname.replace(/\/+$/, '').split('/').at(-1) ?? '');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CheckoutPage invoiceId={id} />
  </StrictMode>,
);
