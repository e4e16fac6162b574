// The automated checks a submission for review runs (合规审查, first pass). Each is a named
// rule with a result the operator sees in the review queue; a failing rule blocks submission.
import type { datasetVersions } from '../../db/schema.ts';
import type { ComplianceProofStatus } from './compliance-proof-status.ts';
import type { Column } from './dataset-input.ts';

type Version = typeof datasetVersions.$inferSelect;

export interface CheckResult {
  rule: string;
  passed: boolean;
  detail: string;
}

export const LISTING_RULES = {
  required_metadata: 'Titles and descriptions in Chinese and English, keywords, columns and sample rows are present',
  personal_info_consistent: 'The personal-information flag agrees with the columns marked personal',
  grade_fits_sensitivity: 'The grade is at least L2 for personal data and at least L3 for sensitive personal data',
  grade_not_core: 'L4 (important or core) data is never listed',
  rows_match_declaration: 'The uploaded rows match the schema, the declared row count and the declared commitment',
  compliance_proof_for_grade: 'L3 data carries a verified compliance proof (rule proof or sampled audit) for this version',
} as const;

export type ListingRule = keyof typeof LISTING_RULES;

export function runListingChecks(version: Version, context: { complianceProof: ComplianceProofStatus }): CheckResult[] {
  const columns = version.columns as Column[];
  const personalColumns = columns.filter((c) => c.sensitivity === 'personal' || c.sensitivity === 'sensitive_personal');
  const sensitive = columns.some((c) => c.sensitivity === 'sensitive_personal');
  const grade = Number(version.grade.slice(1));
  const samples = version.sampleRows as unknown[];
  const results: CheckResult[] = [];
  const add = (rule: ListingRule, passed: boolean, detail: string) => results.push({ rule, passed, detail });

  const missing = [
    !version.titleZh && 'titleZh',
    !version.titleEn && 'titleEn',
    !version.descriptionZh && 'descriptionZh',
    !version.descriptionEn && 'descriptionEn',
    version.keywords.length === 0 && 'keywords',
    columns.length === 0 && 'columns',
    samples.length === 0 && 'sampleRows',
  ].filter(Boolean);
  add('required_metadata', missing.length === 0, missing.length ? `missing: ${missing.join(', ')}` : 'complete');

  const consistent = version.personalInfo === personalColumns.length > 0;
  add(
    'personal_info_consistent',
    consistent,
    consistent
      ? version.personalInfo
        ? `personal columns: ${personalColumns.map((c) => c.name).join(', ')}`
        : 'no personal columns, flag off'
      : version.personalInfo
        ? 'flagged as personal information but no column is marked personal'
        : `columns ${personalColumns.map((c) => c.name).join(', ')} are personal but the flag is off`,
  );

  const minimum = sensitive ? 3 : version.personalInfo || personalColumns.length > 0 ? 2 : 1;
  add('grade_fits_sensitivity', grade >= minimum, grade >= minimum ? `${version.grade} ≥ L${minimum}` : `${version.grade} is below L${minimum} for this data`);

  add('grade_not_core', grade < 4, grade < 4 ? `${version.grade}` : 'L4 data may not be listed');

  const uploaded = version.uploadedRowCount;
  const rowsOk = uploaded !== null && uploaded === version.rowCount && version.uploadedCommitment === version.commitment;
  add(
    'rows_match_declaration',
    rowsOk,
    uploaded === null
      ? 'no rows uploaded to the private store'
      : uploaded !== version.rowCount
        ? `${uploaded} rows uploaded, ${version.rowCount} declared`
        : version.uploadedCommitment !== version.commitment
          ? 'the uploaded rows do not hash to the declared commitment'
          : `${uploaded} rows, commitment matches`,
  );

  const needsProof = grade === 3;
  add(
    'compliance_proof_for_grade',
    !needsProof || context.complianceProof.verified,
    !needsProof
      ? 'not required below L3'
      : context.complianceProof.verified
        ? context.complianceProof.detail
        : `L3 data needs a verified compliance proof: ${context.complianceProof.detail}`,
  );
  return results;
}
