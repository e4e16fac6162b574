// The express app: /graphql (yoga, with GraphiQL), /health, and the web UI at /.
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import { createYoga } from 'graphql-yoga';
import { datasetDcat } from '../domain/catalog/dcat.ts';
import { auditLogCsv } from '../domain/audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { deliverDataset } from '../domain/trading/deliver-dataset.ts';
import { authenticateApiKey } from '../domain/participants/authenticate-api-key.ts';
import type { Viewer } from '../domain/participants/roles.ts';
import type { GraphQLContext } from '../graphql/builder.ts';
import { createLoaders } from '../graphql/loaders.ts';
import { schema } from '../graphql/schema.ts';
import type { Services } from '../services.ts';
import { health } from './health.ts';

export function createHttpApp(services: Services): Express {
  const yoga = createYoga<{ req: express.Request; res: express.Response }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: { title: 'Data exchange GraphQL' },
    maskedErrors: { isDev: services.config.env === 'development' },
    logging: {
      debug: (...a) => services.log.debug(a.join(' ')),
      info: (...a) => services.log.info(a.join(' ')),
      warn: (...a) => services.log.warn(a.join(' ')),
      error: (...a) => services.log.error(a.map(String).join(' ')),
    },
    context: async ({ request }) => {
      const { viewer, authError } = await identify(services, request.headers.get('authorization'));
      return { viewer, authError, services, loaders: createLoaders(services, viewer) };
    },
  });

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', async (_req, res) => {
    const report = await health(services);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  app.get('/catalog/datasets/:id.jsonld', async (req, res) => {
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
    const { viewer, authError } = await identify(services, req.get('authorization') ?? null);
    try {
      if (authError) throw authError;
      await handler(viewer, req, res);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const status = err.code === 'UNAUTHENTICATED' ? 401 : err.code === 'FORBIDDEN' ? 403 : err.code === 'NOT_FOUND' ? 404 : 422;
      res.status(status).json({ error: err.code, message: err.message });
    }
  };
  app.get(
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
    return { viewer: await authenticateApiKey({ db: services.db, token: m[1]! }), authError: null };
  } catch (err) {
    if (err instanceof AppError) return { viewer: null, authError: err };
    throw err;
  }
}
