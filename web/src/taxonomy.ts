// The classification lists under each domain (分类), as server/domain/catalog/taxonomy.ts has them.
// The API does not publish the taxonomy yet; when it does, this file goes.
import type { DataDomain } from '../../sdk/graphql/types.ts';

export const CLASSIFICATIONS: Record<DataDomain, readonly string[]> = {
  FINANCE: ['credit', 'payments', 'insurance', 'securities', 'tax'],
  TRANSPORT: ['traffic', 'logistics', 'aviation', 'shipping', 'mobility'],
  HEALTHCARE: ['clinical', 'public_health', 'pharma', 'insurance_claims'],
  ENERGY: ['power_grid', 'consumption', 'renewables', 'oil_gas'],
  AGRICULTURE: ['crops', 'livestock', 'weather', 'land'],
  MANUFACTURING: ['production', 'supply_chain', 'equipment', 'quality'],
  COMMERCE: ['retail', 'ecommerce', 'consumer', 'prices'],
  PUBLIC_SERVICES: ['government', 'education', 'employment', 'social_security'],
  GEOSPATIAL: ['maps', 'remote_sensing', 'poi', 'cadastre'],
  TELECOM: ['network', 'subscribers', 'traffic_stats'],
  ENVIRONMENT: ['air', 'water', 'emissions', 'biodiversity'],
};

/** 'transport.traffic' for the domain TRANSPORT and the class 'traffic'. */
export const classificationOf = (domain: DataDomain, name: string) => `${domain.toLowerCase()}.${name}`;
