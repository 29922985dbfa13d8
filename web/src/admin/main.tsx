import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { queryClient } from '../shared/query-client.ts';
import '../shared/styles.css';
import { Loading } from '../shared/ui.tsx';
import { DeliveryPage } from './delivery-page.tsx';
import { AdminLayout } from './layout.tsx';
import { LowStockPage } from './low-stock-page.tsx';
import { NotificationLogPage } from './notification-log-page.tsx';
import { OrderAdminPage } from './order-page.tsx';
import { OrdersAdminPage } from './orders-page.tsx';
import { ProductFormPage } from './product-form-page.tsx';
import { ProductsAdminPage } from './products-page.tsx';
import { SendPage } from './send-page.tsx';
import { TemplatesPage } from './templates-page.tsx';
import { UsersAdminPage } from './users-page.tsx';

// The dashboard (its stream reader and charts) loads only when someone opens it.
const AnalyticsPage = lazy(() => import('./analytics-page.tsx').then((m) => ({ default: m.AnalyticsPage })));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename="/admin">
        <Routes>
          <Route element={<AdminLayout />}>
            <Route index element={<Navigate to="/orders" replace />} />
            <Route path="orders" element={<OrdersAdminPage />} />
            <Route path="orders/:id" element={<OrderAdminPage />} />
            <Route path="products" element={<ProductsAdminPage />} />
            <Route path="products/new" element={<ProductFormPage />} />
            <Route path="products/:id" element={<ProductFormPage />} />
            <Route path="low-stock" element={<LowStockPage />} />
            <Route path="users" element={<UsersAdminPage />} />
            <Route path="notifications" element={<NotificationLogPage />} />
            <Route path="notifications/templates" element={<TemplatesPage />} />
            <Route path="notifications/send" element={<SendPage />} />
            <Route path="notifications/:id" element={<DeliveryPage />} />
            <Route
              path="analytics"
              element={
                <Suspense fallback={<Loading what="Loading the dashboard" />}>
                  <AnalyticsPage />
                </Suspense>
              }
            />
            <Route path="*" element={<Navigate to="/orders" replace />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
