import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, query, type Page } from '../shared/api.ts';
import { formatDate } from '../shared/format.ts';
import type { User } from '../shared/session.ts';
import { ConfirmButton, Empty, Loading, Pager, Problem, StatusBadge, usePager, useTitle } from '../shared/ui.tsx';

type AdminUser = User & { deleted_at: string | null };

export function UsersAdminPage() {
  useTitle('Users · Emporium admin');
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(params.entries());
  const pager = usePager(params.toString());
  const queryClient = useQueryClient();
  const users = useQuery({
    queryKey: ['admin-users', filters, pager.cursor],
    queryFn: () => api<Page<AdminUser>>(`/api/users${query({ ...filters, limit: 25, cursor: pager.cursor })}`),
    placeholderData: keepPreviousData,
  });
  const deactivate = useMutation({
    mutationFn: (id: number) => api(`/api/users/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin-users'] }),
  });
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const key of ['q', 'status']) {
      const value = String(form.get(key) ?? '').trim();
      if (value) next.set(key, value);
    }
    setParams(next);
  };
  return (
    <section>
      <h1>Users</h1>
      <form className="toolbar" onSubmit={apply} aria-label="Filter users" key={params.toString()}>
        <div className="field">
          <label htmlFor="u-q">Search</label>
          <input
            id="u-q"
            name="q"
            type="search"
            placeholder="Id, username, email or name"
            defaultValue={filters['q']}
          />
        </div>
        <div className="field">
          <label htmlFor="u-status">Status</label>
          <select id="u-status" name="status" defaultValue={filters['status'] ?? ''}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      {users.isPending && <Loading what="Loading users" />}
      <Problem error={users.error ?? deactivate.error} />
      {users.data?.items.length === 0 && <Empty>No users match.</Empty>}
      {users.data && users.data.items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Users, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Username</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id}>
                <td>{u.id}</td>
                <td>{u.username}</td>
                <td>{u.email}</td>
                <td>{u.role}</td>
                <td>{formatDate(u.created_at)}</td>
                <td>
                  {u.deleted_at ? (
                    <StatusBadge status="deactivated" />
                  ) : (
                    <ConfirmButton
                      label="Deactivate"
                      question={`Deactivate ${u.username}? They can no longer sign in.`}
                      confirmLabel="Yes, deactivate"
                      busy={deactivate.isPending && deactivate.variables === u.id}
                      onConfirm={() => deactivate.mutate(u.id)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pager={pager} nextCursor={users.data?.next_cursor} />
    </section>
  );
}
