import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { api, query, type Page } from '../shared/api.ts';
import { Empty, Loading, Pager, Problem, usePager } from '../shared/ui.tsx';

export interface FilteredListOptions {
  /** The query key's first part: what a mutation invalidates to refresh the list. */
  key: string;
  /** The API's list route. */
  path: string;
  /** The search parameters the route filters by; the form's fields carry the same names. */
  filters: readonly string[];
  refetchInterval?: number;
}

/**
 * An admin list whose filters live in the URL (a filtered page can be linked, reloaded and gone back to) and whose
 * pages follow the API's cursors; a new filter starts again at page one.
 */
export function useFilteredList<T>({ key, path, filters: names, refetchInterval }: FilteredListOptions) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries([...params.entries()].filter(([name]) => names.includes(name)));
  const pager = usePager(params.toString());
  const list = useQuery({
    queryKey: [key, filters, pager.cursor],
    queryFn: () => api<Page<T>>(`${path}${query({ ...filters, limit: 25, cursor: pager.cursor })}`),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  /** The filter form's submit: its non-empty fields become the URL's parameters. */
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const name of names) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    setParams(next);
  };
  // The form remounts when the URL changes (back, a link), so its fields show the filters in force.
  return { filters, pager, list, apply, formKey: params.toString() };
}

/** The states of a list around its table: loading, the problem, nothing found, the rows, the pager. */
export function ListResult<T>({
  list,
  pager,
  loading,
  empty,
  error,
  children,
}: {
  list: UseQueryResult<Page<T>>;
  pager: ReturnType<typeof usePager>;
  loading: string;
  empty: string;
  /** A mutation's error shown with the list's own. */
  error?: unknown;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <>
      {list.isPending && <Loading what={loading} />}
      <Problem error={list.error ?? error} />
      {list.data?.items.length === 0 && <Empty>{empty}</Empty>}
      {list.data && list.data.items.length > 0 && children(list.data.items)}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} />
    </>
  );
}
