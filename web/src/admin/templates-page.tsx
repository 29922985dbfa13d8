import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../shared/api.ts';
import { Empty, Loading, Problem, useTitle } from '../shared/ui.tsx';

interface TemplateList {
  items: Array<{ type: string; channels: string[]; files: string[] }>;
}
interface Rendered {
  subject: string | null;
  text: string;
  html: string | null;
}
interface Preview {
  type: string;
  data: Record<string, unknown>;
  channels: Record<string, Rendered>;
}

/** The message templates and each one rendered with the service's sample data, per channel. */
export function TemplatesPage() {
  useTitle('Templates · Emporium admin');
  const [params, setParams] = useSearchParams();
  const templates = useQuery({
    queryKey: ['admin-templates'],
    queryFn: () => api<TemplateList>('/api/notifications/templates'),
  });
  const chosen = params.get('type') ?? templates.data?.items[0]?.type;
  const preview = useQuery({
    queryKey: ['admin-template-preview', chosen],
    enabled: !!chosen,
    queryFn: () => api<Preview>(`/api/notifications/templates/${encodeURIComponent(chosen!)}/preview`),
  });
  return (
    <section>
      <p>
        <Link to="/notifications">Notification log</Link>
      </p>
      <h1>Message templates</h1>
      {templates.isPending && <Loading what="Loading templates" />}
      <Problem error={templates.error} />
      {templates.data?.items.length === 0 && <Empty>No templates.</Empty>}
      {templates.data && templates.data.items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Templates</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Channels</th>
              <th scope="col">Files</th>
              <th scope="col">
                <span className="visually-hidden">Preview</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {templates.data.items.map((t) => (
              <tr key={t.type} aria-current={t.type === chosen ? 'true' : undefined}>
                <td>{t.type.replaceAll('_', ' ')}</td>
                <td>{t.channels.join(', ')}</td>
                <td className="wrap">{t.files.map((f) => f.split('/').pop()).join(', ')}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-pressed={t.type === chosen}
                    onClick={() => {
                      setParams({ type: t.type });
                      // The preview below is what the button shows: focus (and scroll) goes there.
                      document.getElementById('preview-title')?.focus();
                    }}
                  >
                    Preview <span className="visually-hidden">{t.type.replaceAll('_', ' ')}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && (
        <section aria-labelledby="preview-title">
          <h2 id="preview-title" tabIndex={-1}>
            Preview: {chosen.replaceAll('_', ' ')}
          </h2>
          <p className="muted">Rendered with sample data; nothing is sent.</p>
          {preview.isPending && <Loading what="Rendering" />}
          <Problem error={preview.error} />
          {preview.data &&
            Object.entries(preview.data.channels).map(([channel, r]) => (
              <div key={channel} className="preview">
                <h3>{channel}</h3>
                {r.subject && (
                  <p>
                    Subject: <strong>{r.subject}</strong>
                  </p>
                )}
                {r.html ? (
                  // The mail as a mail client shows it: an iframe with no scripts and no same-origin access.
                  <iframe title={`${channel} preview, HTML`} sandbox="" srcDoc={r.html} className="mail-frame" />
                ) : null}
                <details open={!r.html}>
                  <summary>Plain text</summary>
                  <pre className="raw">{r.text}</pre>
                </details>
              </div>
            ))}
        </section>
      )}
    </section>
  );
}
