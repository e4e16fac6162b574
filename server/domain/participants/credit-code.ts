// 统一社会信用代码 (GB 32100-2015): 18 characters — registration authority, organisation
// type, 6-digit administrative division, 9-character organisation code (GB 11714, with its
// own check character) and a final check character over the first 17.

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_CODE_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export type CreditCodeProblem = 'shape' | 'check-digit' | 'organisation-code';

/** Normalises (trim, upper case) and checks a credit code; returns the code or the problem. */
export function checkCreditCode(input: string): { ok: true; code: string } | { ok: false; problem: CreditCodeProblem } {
  const code = input.trim().toUpperCase();
  if (!SHAPE.test(code)) return { ok: false, problem: 'shape' };
  if (code[17] !== creditCodeCheckChar(code.slice(0, 17))) return { ok: false, problem: 'check-digit' };
  if (!orgCodeValid(code.slice(8, 17))) return { ok: false, problem: 'organisation-code' };
  return { ok: true, code };
}

/** The 18th character for the first 17 (exported for fixtures that build valid codes). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return CHARSET[(31 - (sum % 31)) % 31]!;
}

/** GB 11714 organisation code check character for its first eight characters. */
export function orgCodeCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ORG_CODE_CHARSET.indexOf(first8[i]!) * ORG_CODE_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

function orgCodeValid(orgCode: string): boolean {
  return orgCode[8] === orgCodeCheckChar(orgCode.slice(0, 8));
}
