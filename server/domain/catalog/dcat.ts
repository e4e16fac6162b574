// DCAT 3 (W3C Data Catalog Vocabulary) in JSON-LD for a listed dataset, so that other
// catalogues and search engines can harvest the exchange.
import { eq } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { datasets, datasetVersions, participants } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import type { Column } from './dataset-input.ts';

const FREQUENCY: Record<string, string> = {
  realtime: 'http://purl.org/cld/freq/continuous',
  daily: 'http://purl.org/cld/freq/daily',
  weekly: 'http://purl.org/cld/freq/weekly',
  monthly: 'http://purl.org/cld/freq/monthly',
  quarterly: 'http://purl.org/cld/freq/quarterly',
  yearly: 'http://purl.org/cld/freq/annual',
  once: 'http://purl.org/cld/freq/irregular',
};

export async function datasetDcat({ db, id, baseUrl }: { db: DbHandle; id: string; baseUrl: string }): Promise<Record<string, unknown>> {
  requireUuid(id, 'id');
  const [row] = await db
    .select({ dataset: datasets, version: datasetVersions, provider: participants })
    .from(datasets)
    .innerJoin(datasetVersions, eq(datasetVersions.id, datasets.currentVersionId))
    .innerJoin(participants, eq(participants.id, datasets.providerId))
    .where(eq(datasets.id, id));
  if (!row || row.dataset.status !== 'listed') throw new AppError('NOT_FOUND', { field: 'id' });
  const { dataset, version, provider } = row;
  const self = `${baseUrl}/catalog/datasets/${dataset.id}`;
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      exchange: `${baseUrl}/ns#`,
    },
    '@id': self,
    '@type': 'dcat:Dataset',
    'dct:identifier': dataset.id,
    'dct:title': [
      { '@value': version.titleZh, '@language': 'zh' },
      { '@value': version.titleEn, '@language': 'en' },
    ],
    'dct:description': [
      { '@value': version.descriptionZh, '@language': 'zh' },
      { '@value': version.descriptionEn, '@language': 'en' },
    ],
    'dcat:keyword': version.keywords,
    'dcat:theme': `${baseUrl}/taxonomy/${version.classification}`,
    'dct:publisher': { '@type': 'foaf:Organization', 'foaf:name': provider.name, 'dct:spatial': provider.jurisdiction },
    'dct:accrualPeriodicity': { '@id': FREQUENCY[version.updateFrequency] ?? FREQUENCY.once },
    'dct:issued': { '@value': dataset.listedAt?.toISOString(), '@type': 'xsd:dateTime' },
    'dct:modified': { '@value': version.createdAt.toISOString(), '@type': 'xsd:dateTime' },
    'dcat:version': String(version.version),
    'dct:accessRights': `${baseUrl}/ns#grade-${version.grade}`,
    'exchange:grade': version.grade,
    'exchange:personalInformation': version.personalInfo,
    'exchange:rowCount': version.rowCount,
    'exchange:commitment': version.commitment,
    'exchange:columns': (version.columns as Column[]).map((c) => ({ name: c.name, type: c.type, unit: c.unit ?? null, sensitivity: c.sensitivity })),
    'dcat:distribution': {
      '@type': 'dcat:Distribution',
      'dct:title': 'Encrypted queries and licensed access through the exchange',
      'dcat:accessURL': { '@id': `${baseUrl}/graphql` },
      'dct:license': `${baseUrl}/ns#licence-terms`,
    },
  };
}
