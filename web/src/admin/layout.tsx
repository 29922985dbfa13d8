import { useQueryClient } from '@tanstack/react-query';
import { NavLink, Outlet, useLocation } from 'react-router';
import { api } from '../shared/api.ts';
import { getSession, setSession, useSession } from '../shared/session.ts';
import { SignInForm } from '../shared/sign-in-form.tsx';
import { useFocusMainOnNavigate, useTitle } from '../shared/ui.tsx';

export function AdminLayout() {
  const session = useSession();
  const queryClient = useQueryClient();
  useFocusMainOnNavigate(useLocation().pathname);
  const signOut = async () => {
    const current = getSession();
    setSession(null);
    queryClient.clear();
    if (current)
      await api('/api/users/logout', { method: 'POST', body: { refresh_token: current.refreshToken } }).catch(
        () => undefined,
      );
  };
  return (
    <div className="admin-shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <a href="/admin" className="brand">
          Emporium admin
        </a>
        {session && (
          <nav aria-label="Console" className="nav">
            <NavLink to="/orders">Orders</NavLink>
            <NavLink to="/products">Products</NavLink>
            <NavLink to="/low-stock">Low stock</NavLink>
            <NavLink to="/users">Users</NavLink>
            <NavLink to="/notifications">Notifications</NavLink>
            <NavLink to="/analytics">Analytics</NavLink>
            <a href="/">Storefront</a>
            <button type="button" className="link" onClick={signOut}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {!session ? (
          <AdminSignIn />
        ) : (
          <>
            {/* The API decides: a customer's calls are refused (403) whatever this page shows. */}
            {session.user.role !== 'admin' && (
              <p className="problem" role="alert">
                {session.user.username} is not a staff account: the shop refuses its requests here. Sign out and sign in
                as an admin.
              </p>
            )}
            <Outlet />
          </>
        )}
      </main>
    </div>
  );
}

function AdminSignIn() {
  useTitle('Sign in · Emporium admin');
  return (
    <section className="narrow">
      <h1>Staff sign in</h1>
      <SignInForm onSignedIn={() => undefined} />
    </section>
  );
}
