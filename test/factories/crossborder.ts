// The provider's side of the cross-border gate: prove, through the sdk, that a dataset's
// classification is on the regulator's positive list for a destination (a positive_list proof).
import { createClient } from '../../sdk/graphql/client.ts';
import { getPositiveListWitness, submitComplianceProof, type ComplianceProofSummary } from '../../sdk/graphql/compliance.ts';
import { provePositiveList } from '../../sdk/zk/positive-list.ts';
import type { TestExchange } from '../support/app.ts';
import { proverArtifacts } from './compliance-datasets.ts';

/** The dataset's current version and classification, as its provider sees them. */
export async function currentVersionOf(ex: TestExchange, datasetId: string, token: string): Promise<{ id: string; classification: string }> {
  const r = await ex.gql(`query($id: ID!) { dataset(id: $id) { __typename ... on Dataset { currentVersion { id classification } } } }`, { id: datasetId }, token);
  if (r.data?.dataset?.__typename !== 'Dataset') throw new Error(`dataset ${datasetId}: ${JSON.stringify(r)}`);
  return r.data.dataset.currentVersion;
}

/** Witness from the exchange, proof made locally, submitted as the provider: the gate's evidence. */
export async function provePositiveListMembership(
  ex: TestExchange,
  datasetId: string,
  destination: string,
  providerToken = ex.keyOf('provider'),
): Promise<ComplianceProofSummary> {
  const client = createClient({ url: `${ex.url}/graphql` }).withApiKey(providerToken);
  const version = await currentVersionOf(ex, datasetId, providerToken);
  const witness = await getPositiveListWitness(client, destination, version.classification);
  const made = await provePositiveList(witness, await proverArtifacts('positive_list'));
  return submitComplianceProof(client, version.id, 'positive_list', made, { destination });
}
