// 使用许可 terms: the controlled list of purposes and the shape of a plan's licence terms.
import { z } from 'zod';

export const PURPOSES = {
  credit_assessment: '信用评估 credit assessment',
  risk_control: '风险控制 risk control',
  marketing_analysis: '营销分析 marketing analysis',
  product_research: '产品研发 product research',
  academic_research: '学术研究 academic research',
  public_governance: '公共治理 public governance',
  urban_planning: '城市规划 urban planning',
  insurance_pricing: '保险定价 insurance pricing',
  model_training: '模型训练 model training',
} as const;
export type Purpose = keyof typeof PURPOSES;
export const PURPOSE_NAMES = Object.keys(PURPOSES) as [Purpose, ...Purpose[]];

export const Jurisdiction = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 code such as CN or SG');

export const LicenceTerms = z.object({
  purposes: z.array(z.enum(PURPOSE_NAMES)).min(1).max(PURPOSE_NAMES.length),
  /** How long a licence lasts from the trade, in days. */
  termDays: z.number().int().min(1).max(3650),
  /** Where the licensed use may happen (the buyer's jurisdiction must be one of them). */
  territories: z.array(Jurisdiction).min(1).max(50),
  /** query_only: encrypted queries only (可用不可见); delivery: the rows may be delivered too. */
  access: z.enum(['query_only', 'delivery']),
  /** Total differential-privacy budget ε per licence; absent = no DP noise. */
  epsilon: z.number().positive().max(100).optional(),
});
export type LicenceTerms = z.infer<typeof LicenceTerms>;

/** CN and CN-GD are mainland; anything else is cross-border from the exchange's point of view. */
export function isMainland(jurisdiction: string): boolean {
  return jurisdiction === 'CN' || jurisdiction.startsWith('CN-');
}

/** The country part of a jurisdiction: CN-GD → CN. */
export function countryOf(jurisdiction: string): string {
  return jurisdiction.slice(0, 2);
}

/** Whether a jurisdiction falls in a list of territories (CN covers CN-GD). */
export function inTerritories(jurisdiction: string, territories: string[]): boolean {
  return territories.includes(jurisdiction) || territories.includes(countryOf(jurisdiction));
}
