// 分类: the exchange's domain taxonomy. A dataset names one domain and one classification
// under it; both are controlled lists so that facets and filing statistics line up.

export const DOMAINS = {
  finance: { zh: '金融', classifications: ['credit', 'payments', 'insurance', 'securities', 'tax'] },
  transport: { zh: '交通运输', classifications: ['traffic', 'logistics', 'aviation', 'shipping', 'mobility'] },
  healthcare: { zh: '医疗健康', classifications: ['clinical', 'public_health', 'pharma', 'insurance_claims'] },
  energy: { zh: '能源', classifications: ['power_grid', 'consumption', 'renewables', 'oil_gas'] },
  agriculture: { zh: '农业', classifications: ['crops', 'livestock', 'weather', 'land'] },
  manufacturing: { zh: '工业制造', classifications: ['production', 'supply_chain', 'equipment', 'quality'] },
  commerce: { zh: '商贸流通', classifications: ['retail', 'ecommerce', 'consumer', 'prices'] },
  public_services: { zh: '公共服务', classifications: ['government', 'education', 'employment', 'social_security'] },
  geospatial: { zh: '地理空间', classifications: ['maps', 'remote_sensing', 'poi', 'cadastre'] },
  telecom: { zh: '通信', classifications: ['network', 'subscribers', 'traffic_stats'] },
  environment: { zh: '生态环境', classifications: ['air', 'water', 'emissions', 'biodiversity'] },
} as const;

export type Domain = keyof typeof DOMAINS;
export const DOMAIN_NAMES = Object.keys(DOMAINS) as Domain[];

/** `finance.credit` and so on: every classification, qualified by its domain. */
export const CLASSIFICATIONS: string[] = DOMAIN_NAMES.flatMap((d) => DOMAINS[d].classifications.map((c) => `${d}.${c}`));

export const GRADES = ['L1', 'L2', 'L3', 'L4'] as const;
export type Grade = (typeof GRADES)[number];

/** 分级: L1 public, L2 internal, L3 sensitive, L4 important/core (never listable). */
export const GRADE_LABELS: Record<Grade, string> = {
  L1: '公开 public',
  L2: '内部 internal',
  L3: '敏感 sensitive',
  L4: '重要/核心 important or core',
};

export const UPDATE_FREQUENCIES = ['once', 'realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
