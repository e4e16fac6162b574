import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCodeCheckChar } from '../../server/domain/participants/credit-code.ts';
import { seedCreditCode } from '../../server/domain/participants/seed-system-participants.ts';

describe('checkCreditCode (统一社会信用代码, GB 32100-2015)', () => {
  it('accepts published codes of real companies', () => {
    // Shenzhen Tencent Computer Systems, Huawei Technologies, Beijing Baidu Netcom.
    for (const code of ['9144030071526726XG', '914403001922038216', '91110000802100433B']) {
      expect(checkCreditCode(code)).toEqual({ ok: true, code });
    }
  });

  it('normalises case and surrounding space', () => {
    expect(checkCreditCode(' 9144030071526726xg ')).toEqual({ ok: true, code: '9144030071526726XG' });
  });

  it('refuses every single-character change of the check character', () => {
    const good = '914403001922038216';
    for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
      if (c === good[17]) continue;
      expect(checkCreditCode(good.slice(0, 17) + c)).toEqual({ ok: false, problem: 'check-digit' });
    }
  });

  it('refuses letters the standard excludes (I, O, S, V, Z) and wrong lengths', () => {
    expect(checkCreditCode('9144030071526726XO')).toEqual({ ok: false, problem: 'shape' });
    expect(checkCreditCode('91440300715267')).toEqual({ ok: false, problem: 'shape' });
    expect(checkCreditCode('9144030071526726XGG')).toEqual({ ok: false, problem: 'shape' });
    expect(checkCreditCode('')).toEqual({ ok: false, problem: 'shape' });
  });

  it('refuses a code whose embedded organisation code check fails', () => {
    // Change the organisation code's own check character, then fix the outer check digit.
    const first17 = '91440300715267260';
    const code = first17 + creditCodeCheckChar(first17);
    expect(checkCreditCode(code)).toEqual({ ok: false, problem: 'organisation-code' });
  });

  it('builds valid codes for seeded organisations', () => {
    expect(checkCreditCode(seedCreditCode('MA01EXPT')).ok).toBe(true);
    expect(() => seedCreditCode('MA01EXOP')).toThrow();
  });
});
