// The API's enums and the object shapes the typed operations select, mirroring schema.graphql.
// Scalars arrive as JSON: BigInt and DateTime are strings.
import type { HeQueryResult } from '../he/query-result.ts';

export type Role = 'ARBITER' | 'BUYER' | 'OPERATOR' | 'PROVIDER' | 'REGULATOR';
export type Scope = Role | 'READ';
export type ParticipantStatus = 'PENDING' | 'REJECTED' | 'SUSPENDED' | 'VERIFIED';
export type DataDomain =
  | 'AGRICULTURE'
  | 'COMMERCE'
  | 'ENERGY'
  | 'ENVIRONMENT'
  | 'FINANCE'
  | 'GEOSPATIAL'
  | 'HEALTHCARE'
  | 'MANUFACTURING'
  | 'PUBLIC_SERVICES'
  | 'TELECOM'
  | 'TRANSPORT';
export type Grade = 'L1' | 'L2' | 'L3' | 'L4';
export type DatasetStatus = 'DELISTED' | 'DRAFT' | 'IN_REVIEW' | 'LISTED' | 'SUSPENDED';
export type ColumnType = 'CATEGORY' | 'DATE' | 'DECIMAL' | 'INTEGER' | 'TEXT';
export type Sensitivity = 'INTERNAL' | 'NONE' | 'PERSONAL' | 'SENSITIVE_PERSONAL';
export type UpdateFrequency = 'DAILY' | 'MONTHLY' | 'ONCE' | 'QUARTERLY' | 'REALTIME' | 'WEEKLY' | 'YEARLY';
export type CatalogScope = 'ALL' | 'MARKET' | 'MINE';
export type CatalogSort = 'NEWEST' | 'RELEVANCE' | 'TITLE';
export type ListingAction = 'APPROVE' | 'CREATE' | 'DELIST' | 'REINSTATE' | 'REJECT' | 'REVISE' | 'SUBMIT' | 'SUSPEND';
export type SupervisoryAction = 'DELIST' | 'REINSTATE' | 'SUSPEND';
export type AnchorStatus = 'ANCHORED' | 'PENDING' | 'SEALED';
export type DataRight = 'CONTROL' | 'INCOME' | 'USE';
export type CertificateKind = 'INITIAL' | 'RE_REGISTRATION' | 'TRANSFER';
export type PlanKind = 'FIXED' | 'PER_QUERY' | 'SUBSCRIPTION';
export type LicenceAccess = 'DELIVERY' | 'QUERY_ONLY';
export type LicenceStatus = 'ACTIVE' | 'FROZEN' | 'REVOKED';
export type OrderStatus = 'ACCEPTED' | 'CANCELLED' | 'PENDING' | 'REJECTED';
export type TradeSide = 'ALL' | 'BUYER' | 'PROVIDER';
export type ChainWorkStatus = 'DONE' | 'FAILED' | 'PENDING';
export type Purpose =
  | 'ACADEMIC_RESEARCH'
  | 'CREDIT_ASSESSMENT'
  | 'INSURANCE_PRICING'
  | 'MARKETING_ANALYSIS'
  | 'MODEL_TRAINING'
  | 'PRODUCT_RESEARCH'
  | 'PUBLIC_GOVERNANCE'
  | 'RISK_CONTROL'
  | 'URBAN_PLANNING';

export const DATA_DOMAINS: readonly DataDomain[] = [
  'AGRICULTURE',
  'COMMERCE',
  'ENERGY',
  'ENVIRONMENT',
  'FINANCE',
  'GEOSPATIAL',
  'HEALTHCARE',
  'MANUFACTURING',
  'PUBLIC_SERVICES',
  'TELECOM',
  'TRANSPORT',
];
export const GRADES: readonly Grade[] = ['L1', 'L2', 'L3', 'L4'];
export const PURPOSES: readonly Purpose[] = [
  'ACADEMIC_RESEARCH',
  'CREDIT_ASSESSMENT',
  'INSURANCE_PRICING',
  'MARKETING_ANALYSIS',
  'MODEL_TRAINING',
  'PRODUCT_RESEARCH',
  'PUBLIC_GOVERNANCE',
  'RISK_CONTROL',
  'URBAN_PLANNING',
];
export const COLUMN_TYPES: readonly ColumnType[] = ['INTEGER', 'DECIMAL', 'CATEGORY', 'TEXT', 'DATE'];
export const SENSITIVITIES: readonly Sensitivity[] = ['NONE', 'INTERNAL', 'PERSONAL', 'SENSITIVE_PERSONAL'];
export const UPDATE_FREQUENCIES: readonly UpdateFrequency[] = ['ONCE', 'REALTIME', 'DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'YEARLY'];
export const DATA_RIGHTS: readonly DataRight[] = ['CONTROL', 'USE', 'INCOME'];
export const PLAN_KINDS: readonly PlanKind[] = ['FIXED', 'PER_QUERY', 'SUBSCRIPTION'];

/** An amount of CNY: `fen` is a decimal string of fen (分), `yuan` the same with two decimals. */
export interface Money {
  fen: string;
  yuan: string;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  nodes: T[];
  pageInfo: PageInfo;
}

export interface ParticipantRef {
  id: string;
  name: string;
  jurisdiction: string;
}

export interface Participant extends ParticipantRef {
  registrationScheme: 'FOREIGN' | 'USCC';
  registrationCode: string;
  roles: Role[];
  status: ParticipantStatus;
  statusReason: string | null;
  chainAddress: string;
  verifiedAt: string | null;
  createdAt: string;
  chainRegistration: { status: ChainWorkStatus; txHash: string | null; blockNumber: string | null; attempts: number; lastError: string | null } | null;
}

export interface Viewer {
  apiKeyId: string;
  scopes: Scope[];
  participant: Participant;
}

export interface IssuedApiKey {
  id: string;
  token: string;
  scopes: Scope[];
}

export interface DatasetColumn {
  name: string;
  type: ColumnType;
  unit: string | null;
  nullable: boolean;
  sensitivity: Sensitivity;
  scale: number | null;
  categories: string[] | null;
  description: string | null;
}

export type DatasetColumnInput = {
  name: string;
  type: ColumnType;
  nullable: boolean;
  sensitivity: Sensitivity;
  unit?: string;
  scale?: number;
  categories?: string[];
  description?: string;
};

export type SampleRow = Record<string, string | number | null>;

export interface DatasetInput {
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  domain: DataDomain;
  classification: string;
  industry?: string;
  keywords: string[];
  columns: DatasetColumnInput[];
  updateFrequency: UpdateFrequency;
  rowCount: number;
  sampleRows: SampleRow[];
  grade: Grade;
  personalInfo: boolean;
  commitment: string;
}

export interface VersionSummary {
  id: string;
  version: number;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  domain: DataDomain;
  classification: string;
  grade: Grade;
  keywords: string[];
  rowCount: number;
  updateFrequency: UpdateFrequency;
  personalInfo: boolean;
}

export interface DatasetVersion extends VersionSummary {
  industry: string | null;
  columns: DatasetColumn[];
  sampleRows: SampleRow[];
  commitment: string;
  uploadedRowCount: number | null;
  rowsMatchCommitment: boolean;
  /** k: an encrypted query never reveals a group of fewer rows; smaller groups count as empty. */
  minGroupSize: number;
  createdAt: string;
}

export interface DatasetSummary {
  id: string;
  status: DatasetStatus;
  createdAt: string;
  listedAt: string | null;
  provider: ParticipantRef;
  currentVersion: VersionSummary;
}

export interface ListingCheck {
  rule: string;
  passed: boolean;
  detail: string;
  description: string;
}

export interface AnchorProof {
  status: AnchorStatus;
  kind: string;
  recordId: string;
  contentHash: string;
  leaf: string;
  batchId: string | null;
  leafIndex: number | null;
  root: string | null;
  proof: string[];
  txHash: string | null;
  blockNumber: number | null;
  verifiesOnChain: boolean;
}

export interface ListingEvent {
  id: string;
  action: ListingAction;
  fromStatus: DatasetStatus;
  toStatus: DatasetStatus;
  reason: string | null;
  createdAt: string;
  actor: { id: string; name: string } | null;
  checks: ListingCheck[] | null;
  anchor: AnchorProof | null;
}

export interface RightsHolding {
  right: DataRight;
  shareBps: number;
  holder: { id: string; name: string } | null;
}

export interface RightsCertificate {
  id: string;
  number: string;
  kind: CertificateKind;
  current: boolean;
  issuedAt: string;
  contentHash: string;
  content: unknown;
  holdings: RightsHolding[];
  previous: { id: string; number: string } | null;
  anchor: AnchorProof | null;
}

export interface LicenceTerms {
  purposes: Purpose[];
  termDays: number;
  territories: string[];
  access: LicenceAccess;
  onwardTransfer: boolean;
  epsilon: number | null;
}

export interface PricePlan {
  id: string;
  kind: PlanKind;
  title: string;
  price: Money;
  periodDays: number | null;
  queryQuota: number | null;
  autoAccept: boolean;
  active: boolean;
  terms: LicenceTerms;
}

export interface Dataset extends Omit<DatasetSummary, 'currentVersion'> {
  dcatUrl: string;
  currentVersion: DatasetVersion;
  versions: { id: string; version: number; commitment: string; createdAt: string }[];
  listingHistory: ListingEvent[];
  pricePlans: PricePlan[];
  rights: RightsCertificate | null;
  rightsHistory: RightsCertificate[];
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface CatalogPage extends Connection<DatasetSummary> {
  totalCount: number;
  facets: { domain: FacetCount[]; grade: FacetCount[]; jurisdiction: FacetCount[] };
}

export interface DatasetRef {
  id: string;
  currentVersion: { titleZh: string; titleEn: string };
}

export interface Order {
  id: string;
  status: OrderStatus;
  purpose: Purpose;
  territory: string;
  crossBorder: boolean;
  access: LicenceAccess;
  amount: Money;
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
  buyer: ParticipantRef | null;
  provider: ParticipantRef | null;
  dataset: DatasetRef | null;
}

export interface Trade {
  id: string;
  amount: Money;
  planKind: PlanKind;
  domain: string;
  classification: string;
  grade: Grade;
  territory: string;
  crossBorder: boolean;
  cleared: boolean;
  createdAt: string;
  buyer: ParticipantRef | null;
  provider: ParticipantRef | null;
  dataset: DatasetRef | null;
}

export interface Licence {
  id: string;
  status: LicenceStatus;
  statusReason: string | null;
  purpose: Purpose;
  territories: string[];
  access: LicenceAccess;
  onwardTransfer: boolean;
  validFrom: string;
  validUntil: string;
  queryQuota: number | null;
  queriesUsed: number;
  queriesRemaining: number | null;
  perQueryPrice: Money;
  epsilonBudget: number | null;
  epsilonRemaining: number | null;
  dataset: DatasetRef | null;
}

export interface Balance {
  available: Money;
  escrow: Money;
}

export type EncryptedQueryKind = 'GROUP_AGGREGATE' | 'ID_SET_MATCH' | 'LINEAR_SCORE';
export type EncryptedQueryStatus = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

/** The public half of a buyer's HE key set, as the exchange holds it. */
export interface HeKeySet {
  keyId: string;
  scheme: string;
  /** Size of the stored public bundle. */
  bytes: number;
  createdAt: string;
}

export interface EncryptedQuerySummary {
  id: string;
  kind: EncryptedQueryKind;
  status: EncryptedQueryStatus;
  keyId: string;
  /** The public column names, e.g. { groupColumn, valueColumn }. */
  params: Record<string, unknown>;
  /** Suppressed groups, noise disclosure, evaluation time (public to both sides). */
  resultMeta: { suppressedGroups?: number | null; noise?: unknown; evaluationMs?: number } | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface EncryptedQuery extends EncryptedQuerySummary {
  /** The encrypted answer (sdk/he/query-result.ts HeQueryResult); only the buyer's secret key opens it. */
  result: HeQueryResult | null;
  /** The licence it ran under, with its quota and privacy budget as they are now. */
  licence: Licence | null;
}
