// The express app: /graphql (yoga, with GraphiQL), /health, and the web UI at /.
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import { createYoga } from 'graphql-yoga';
import { datasetDcat } from '../domain/catalog/dcat.ts';
import { auditLogCsv } from '../domain/audit/audit-log.ts';
import { filingReport, filingReportCsv } from '../domain/filing/filing-report.ts';
import { AppError } from '../domain/errors.ts';
import { deliverDataset } from '../domain/trading/deliver-dataset.ts';
import { authenticateApiKey } from '../domain/participants/authenticate-api-key.ts';
import { actsAs, type Viewer } from '../domain/participants/roles.ts';
import type { GraphQLContext } from '../graphql/builder.ts';
import { useBoundedParse } from '../graphql/bounded-parse.ts';
import { maskError } from '../graphql/errors.ts';
import { useWellFormedStrings } from '../graphql/well-formed-strings.ts';
import { createLoaders } from '../graphql/loaders.ts';
import { schema } from '../graphql/schema.ts';
import type { Services } from '../services.ts';
import { health } from './health.ts';
import { graphqlProtections, httpProtections, RATE_LIMITED_PATHS } from './protections.ts';
import { memoisedIdentity } from './request-identity.ts';
import { useRegulatorReadOnly } from './regulator-read-only.ts';

export function createHttpApp(services: Services): Express {
  // The regulator's node (docs/regulator-node.md): regulators only, reads and forwarded supervision, nothing written.
  const regulatorNode = services.config.mode === 'regulator-readonly';
  const identityOf = memoisedIdentity((authorization) => identify(services, authorization));
  const yoga = createYoga<{ req: express.Request; res: express.Response }, GraphQLContext>({
    schema,
    plugins: [useBoundedParse(), useWellFormedStrings(), ...graphqlProtections(services.config, identityOf), ...(regulatorNode ? [useRegulatorReadOnly({ primaryUrl: services.config.primaryUrl ?? undefined, supervisionWithoutPrimary: false })] : [])],
    graphqlEndpoint: '/graphql',
    graphiql: services.config.graphql.introspection ? { title: 'Data exchange GraphQL' } : false,
    // CORS, the body limit and the persisted operations are the exchange's own (./protections.ts).
    cors: false,
    maxRequestBodySize: false,
    maskedErrors: { isDev: services.config.env === 'development', maskError },
    logging: {
      debug: (...a) => services.log.debug(a.join(' ')),
      info: (...a) => services.log.info(a.join(' ')),
      warn: (...a) => services.log.warn(a.join(' ')),
      error: (...a) => services.log.error(a.map(String).join(' ')),
    },
    context: async ({ req, res }) => {
      const { viewer, authError } = await identityOf(req, res);
      return { viewer, authError, services, loaders: createLoaders(services, viewer) };
    },
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', services.config.protection.trustProxy);
  const protections = httpProtections(services.config, identityOf);
  app.use(...protections.everyResponse);
  app.get('/health', async (_req, res) => {
    const report = await health(services);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  app.use(RATE_LIMITED_PATHS, protections.rateLimit);
  if (!regulatorNode) app.get('/catalog/datasets/:id.jsonld', async (req, res) => {
    try {
      const baseUrl = `${req.protocol}://${req.get('host')}`;
      const doc = await datasetDcat({ db: services.db, id: req.params.id, baseUrl });
      res.type('application/ld+json').json(doc);
    } catch (err) {
      if (err instanceof AppError) res.status(404).json({ error: err.code, message: err.message });
      else throw err;
    }
  });
  // Downloads that are files, not GraphQL: a licensed delivery, the audit log export.
  const withViewer = (handler: (viewer: Viewer | null, req: express.Request, res: express.Response) => Promise<void>) => async (req: express.Request, res: express.Response) => {
    const { viewer, authError } = await identityOf(req, res);
    try {
      if (authError) throw authError;
      if (regulatorNode && !actsAs(viewer, 'regulator')) throw new AppError(viewer ? 'FORBIDDEN' : 'UNAUTHENTICATED', { message: "this is a regulator's node: only regulators may use it" });
      await handler(viewer, req, res);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const status = err.code === 'UNAUTHENTICATED' ? 401 : err.code === 'FORBIDDEN' ? 403 : err.code === 'NOT_FOUND' ? 404 : 422;
      res.status(status).json({ error: err.code, message: err.message });
    }
  };
  if (!regulatorNode) app.get(
    '/deliveries/:licenceId.csv',
    withViewer(async (viewer, req, res) => {
      const { filename, csv } = await deliverDataset({ db: services.db, actor: viewer, licenceId: String(req.params.licenceId) });
      res.type('text/csv; charset=utf-8').attachment(filename).send(csv);
    }),
  );
  app.get(
    '/regulator/audit-log.csv',
    withViewer(async (viewer, req, res) => {
      const q = req.query as Record<string, string | undefined>;
      const date = (v?: string) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined);
      const csv = await auditLogCsv({
        db: services.db,
        actor: viewer,
        search: { action: q.action, actorId: q.actorId, subjectKind: q.subjectKind, subjectId: q.subjectId, from: date(q.from), to: date(q.to) },
      });
      res.type('text/csv; charset=utf-8').attachment('audit-log.csv').send(csv);
    }),
  );
  app.get(
    '/regulator/filing-report.csv',
    withViewer(async (viewer, req, res) => {
      const q = req.query as Record<string, string | undefined>;
      const date = (v?: string) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined);
      const report = await filingReport({ db: services.db, actor: viewer, input: { period: (q.period ?? 'month').toLowerCase() as 'month', from: date(q.from), to: date(q.to) } });
      res.type('text/csv; charset=utf-8').attachment(`filing-report-${report.period}.csv`).send(filingReportCsv(report));
    }),
  );
  app.use(yoga.graphqlEndpoint, yoga as unknown as express.RequestHandler);
  const webRoot = ['web/dist', 'web/public'].map((d) => path.join(services.config.projectRoot, d)).find((d) => fs.existsSync(d));
  if (webRoot) app.use(express.static(webRoot));
  return app;
}

async function identify(services: Services, authorization: string | null): Promise<{ viewer: Viewer | null; authError: AppError | null }> {
  if (!authorization) return { viewer: null, authError: null };
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) return { viewer: null, authError: new AppError('UNAUTHENTICATED', { message: 'Authorization must be "Bearer <api key>"' }) };
  try {
    // A replica takes no writes: the regulator's node does not record the key's use.
    return { viewer: await authenticateApiKey({ db: services.db, token: m[1]!, recordUse: services.config.mode === 'full' }), authError: null };
  } catch (err) {
    if (err instanceof AppError) return { viewer: null, authError: err };
    throw err;
  }
}
