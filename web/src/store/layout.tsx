import { useQueryClient } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api } from '../shared/api.ts';
import { getSession, setSession, useSession } from '../shared/session.ts';
import { useFocusMainOnNavigate, useTitle } from '../shared/ui.tsx';
import { cartCount, useCart } from './cart.ts';

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    const session = getSession();
    setSession(null);
    queryClient.clear();
    navigate('/');
    // The server forgets the refresh token's family; signed out here whatever it answers.
    if (session)
      await api('/api/users/logout', { method: 'POST', body: { refresh_token: session.refreshToken } }).catch(
        () => undefined,
      );
  };
}

export function Layout() {
  const session = useSession();
  const cart = useCart();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  useFocusMainOnNavigate(useLocation().pathname);
  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const q = String(new FormData(e.currentTarget).get('q')).trim();
    navigate(q ? `/?q=${encodeURIComponent(q)}` : '/');
  };
  const count = cartCount(cart);
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Emporium
        </Link>
        <form role="search" onSubmit={search} className="search">
          <label htmlFor="site-search" className="visually-hidden">
            Search products
          </label>
          <input
            id="site-search"
            name="q"
            type="search"
            placeholder="Search products"
            defaultValue={params.get('q') ?? ''}
            key={params.get('q')}
          />
          <button type="submit">Search</button>
        </form>
        <nav aria-label="Main" className="nav">
          <NavLink to="/cart">
            Cart
            {count > 0 && (
              <span className="count">
                <span className="visually-hidden">, </span>
                {count}
                <span className="visually-hidden"> items</span>
              </span>
            )}
          </NavLink>
          {session ? (
            <>
              <NavLink to="/orders">Orders</NavLink>
              <NavLink to="/messages">Messages</NavLink>
              <NavLink to="/account">Account</NavLink>
              <button type="button" className="link" onClick={signOut}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/sign-in">Sign in</NavLink>
              <NavLink to="/sign-up">Sign up</NavLink>
            </>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>Emporium demo shop. Test cards only: no real money changes hands.</p>
      </footer>
    </>
  );
}

/** Pages that need a signed-in customer send the visitor to sign in, then back. */
export function Private({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session) return children;
  return <Navigate replace to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} />;
}

export function NotFound() {
  useTitle('Not found · Emporium');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Back to the shop</Link>
      </p>
    </section>
  );
}
