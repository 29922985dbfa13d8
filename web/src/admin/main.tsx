import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { queryClient } from '../shared/query-client.ts';
import '../shared/styles.css';
import { AnalyticsPage, NotificationLogPage } from './hook-pages.tsx';
import { AdminLayout } from './layout.tsx';
import { LowStockPage } from './low-stock-page.tsx';
import { OrderAdminPage } from './order-page.tsx';
import { OrdersAdminPage } from './orders-page.tsx';
import { ProductFormPage } from './product-form-page.tsx';
import { ProductsAdminPage } from './products-page.tsx';
import { UsersAdminPage } from './users-page.tsx';

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
            <Route path="analytics" element={<AnalyticsPage />} />
            <Route path="*" element={<Navigate to="/orders" replace />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
