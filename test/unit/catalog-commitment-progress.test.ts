import { describe, expect, it } from 'vitest';
import { catalogCommitment } from '../../sdk/catalog-commitment.ts';
import { catalogCommitmentWithProgress } from '../../sdk/catalog-commitment-progress.ts';
import { domainColumns, TRAFFIC_COLUMNS, trafficRows } from '../factories/datasets.ts';

describe('catalogCommitmentWithProgress', () => {
  it('gives the root catalogCommitment gives, reporting rising progress up to 1', async () => {
    const columns = domainColumns(TRAFFIC_COLUMNS);
    const rows = trafficRows(1_234, 7);
    const fractions: number[] = [];
    const stepwise = await catalogCommitmentWithProgress(columns, rows, { sliceRows: 100, onProgress: (p) => void fractions.push(p.fraction) });
    expect(stepwise).toEqual(catalogCommitment(columns, rows));
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    expect(fractions.length).toBe(2 + Math.ceil(1_234 / 100));
  });

  it('refuses what catalogCommitment refuses', async () => {
    const columns = domainColumns(TRAFFIC_COLUMNS);
    await expect(catalogCommitmentWithProgress(columns, [])).rejects.toThrow(/at least one row/);
    await expect(catalogCommitmentWithProgress(columns, [{ district: '香港', hour: '1', vehicles: '2', avg_speed: null }])).rejects.toThrow(/not one of its codes/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(catalogCommitmentWithProgress(domainColumns(TRAFFIC_COLUMNS), trafficRows(10), { signal: controller.signal })).rejects.toThrow();
  });
});
