import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../shared/api.ts';
import { formatDate } from '../shared/format.ts';
import type { User } from '../shared/session.ts';
import { ConfirmButton, StatusBadge, useTitle } from '../shared/ui.tsx';
import { ListResult, useFilteredList } from './filtered-list.tsx';

type AdminUser = User & { deleted_at: string | null };

export function UsersAdminPage() {
  useTitle('Users · Emporium admin');
  const { filters, pager, list, apply, formKey } = useFilteredList<AdminUser>({
    key: 'admin-users',
    path: '/api/users',
    filters: ['q', 'status'],
  });
  const queryClient = useQueryClient();
  const deactivate = useMutation({
    mutationFn: (id: number) => api(`/api/users/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin-users'] }),
  });
  return (
    <section>
      <h1>Users</h1>
      <form className="toolbar" onSubmit={apply} aria-label="Filter users" key={formKey}>
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
      <ListResult list={list} pager={pager} loading="Loading users" empty="No users match." error={deactivate.error}>
        {(users) => (
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
              {users.map((u) => (
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
      </ListResult>
    </section>
  );
}
