// Per-request DataLoaders: a page of datasets with their versions, providers, certificates and
// holders costs a fixed number of SQL queries, however many rows the page has.
import DataLoader from 'dataloader';
import { getDatasetsByIds, getVersionsByIds } from '../domain/catalog/find-datasets.ts';
import type { DatasetRow, DatasetVersionRow } from '../domain/catalog/listing-transition.ts';
import { getParticipantsByIds } from '../domain/participants/find-participants.ts';
import type { ParticipantRow } from '../domain/participants/register-participant.ts';
import type { Viewer } from '../domain/participants/roles.ts';
import { currentCertificatesByDatasetIds, holdingsByCertificateIds, type HoldingRow } from '../domain/rights/find-rights.ts';
import type { CertificateRow } from '../domain/rights/issue-certificate.ts';
import type { Services } from '../services.ts';

export interface Loaders {
  participant: DataLoader<string, ParticipantRow | null>;
  dataset: DataLoader<string, DatasetRow | null>;
  version: DataLoader<string, DatasetVersionRow | null>;
  currentCertificate: DataLoader<string, CertificateRow | null>;
  holdings: DataLoader<string, HoldingRow[]>;
}

export function createLoaders(services: Services, viewer: Viewer | null): Loaders {
  const db = services.db;
  return {
    participant: new DataLoader((ids) => getParticipantsByIds({ db, actor: viewer, ids })),
    dataset: new DataLoader((ids) => getDatasetsByIds({ db, actor: viewer, ids })),
    version: new DataLoader((ids) => getVersionsByIds({ db, ids })),
    currentCertificate: new DataLoader((datasetIds) => currentCertificatesByDatasetIds({ db, datasetIds })),
    holdings: new DataLoader((certificateIds) => holdingsByCertificateIds({ db, certificateIds })),
  };
}
