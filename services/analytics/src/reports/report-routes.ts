import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertAdmin, authenticate, requireIdentity, type TokenVerifier } from '@emporium/kit';
import {
  AnomalyPage,
  AnomalyQuery,
  PageQuery,
  PeakHoursSchema,
  RangeQuery,
  RegionTotalsPage,
  responses,
  SummaryPage,
  TopProductsPage,
  WindowParams,
  WindowSchema,
} from './report-schemas.ts';
import type { ReportService } from './report-service.ts';

/** The admin-only preHandlers every analytics route shares (the stream's included). */
export function adminOnly(verify: TokenVerifier) {
  return [authenticate(verify), async (req: FastifyRequest) => assertAdmin(requireIdentity(req))];
}

export function reportRoutes(app: FastifyInstance, reports: ReportService, verify: TokenVerifier): void {
  const base = { tags: ['analytics'], security: [{ bearer: [] }] };
  const preHandler = adminOnly(verify);

  app.get(
    '/api/analytics/windows/latest',
    { preHandler, schema: { ...base, response: responses(WindowSchema, 404) } },
    async () => reports.latestWindow(),
  );
  app.get<{ Params: WindowParams }>(
    '/api/analytics/windows/:windowStart',
    { preHandler, schema: { ...base, params: WindowParams, response: responses(WindowSchema, 404) } },
    async (req) => reports.window(req.params.windowStart),
  );
  app.get<{ Querystring: PageQuery }>(
    '/api/analytics/windows',
    { preHandler, schema: { ...base, querystring: PageQuery, response: responses(SummaryPage) } },
    async (req) => reports.summaries(req.query),
  );
  app.get<{ Querystring: PageQuery }>(
    '/api/analytics/top-products',
    { preHandler, schema: { ...base, querystring: PageQuery, response: responses(TopProductsPage) } },
    async (req) => reports.topProducts(req.query),
  );
  app.get<{ Querystring: PageQuery }>(
    '/api/analytics/regions',
    { preHandler, schema: { ...base, querystring: PageQuery, response: responses(RegionTotalsPage) } },
    async (req) => reports.regions(req.query),
  );
  app.get<{ Querystring: RangeQuery }>(
    '/api/analytics/peak-hours',
    { preHandler, schema: { ...base, querystring: RangeQuery, response: responses(PeakHoursSchema) } },
    async (req) => reports.peakHours(req.query),
  );
  app.get<{ Querystring: AnomalyQuery }>(
    '/api/analytics/anomalies',
    { preHandler, schema: { ...base, querystring: AnomalyQuery, response: responses(AnomalyPage) } },
    async (req) => reports.anomalies(req.query),
  );
}
