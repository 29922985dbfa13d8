import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { queryClient } from '../shared/query-client.ts';
import '../shared/styles.css';
import { ForgotPasswordPage, ResetPasswordPage } from './password-reset-pages.tsx';
import { SignInPage, SignUpPage } from './auth-pages.tsx';
import { CartPage } from './cart-page.tsx';
import { CatalogPage } from './catalog-page.tsx';
import { CheckoutPage } from './checkout-page.tsx';
import { Layout, NotFound, Private } from './layout.tsx';
import { MessagesPage } from './messages-page.tsx';
import { ConfirmationPage, OrderPage } from './order-page.tsx';
import { OrdersPage } from './orders-page.tsx';
import { ProductPage } from './product-page.tsx';
import { ProfilePage } from './profile-page.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<CatalogPage />} />
            <Route path="products/:id" element={<ProductPage />} />
            <Route path="cart" element={<CartPage />} />
            <Route
              path="checkout"
              element={
                <Private>
                  <CheckoutPage />
                </Private>
              }
            />
            <Route
              path="orders"
              element={
                <Private>
                  <OrdersPage />
                </Private>
              }
            />
            <Route
              path="orders/:id"
              element={
                <Private>
                  <OrderPage />
                </Private>
              }
            />
            <Route
              path="orders/:id/confirmation"
              element={
                <Private>
                  <ConfirmationPage />
                </Private>
              }
            />
            <Route path="sign-in" element={<SignInPage />} />
            <Route path="sign-up" element={<SignUpPage />} />
            <Route
              path="account"
              element={
                <Private>
                  <ProfilePage />
                </Private>
              }
            />
            <Route
              path="messages"
              element={
                <Private>
                  <MessagesPage />
                </Private>
              }
            />
            <Route path="forgot-password" element={<ForgotPasswordPage />} />
            <Route path="reset-password" element={<ResetPasswordPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
