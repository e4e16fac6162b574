import { describe, expect, it } from 'vitest';
import { catalogCommitment } from '../../sdk/catalog-commitment.ts';
import { parseRows } from '../../server/domain/catalog/upload-dataset-rows.ts';
import { rowProblem as serverRowProblem } from '../../server/domain/catalog/dataset-input.ts';
import { catalogColumns, columnNameOf, inferColumns, parseCsv, renameRows, rowProblem, syntheticSamples, toCsv } from '../../web/src/pages/provider/dataset-file.ts';
import { toCsv as factoryCsv, TRAFFIC_COLUMNS, trafficRows } from '../factories/datasets.ts';

describe("the web UI's CSV handling (provider, new dataset)", () => {
  const csv = factoryCsv(TRAFFIC_COLUMNS, trafficRows(120, 5));

  it('infers a category, integers and a nullable decimal from the traffic file', () => {
    const { header, rows } = parseCsv(csv);
    const columns = inferColumns(header, rows);
    expect(columns.map((c) => [c.name, c.type, c.nullable, c.scale ?? null])).toEqual([
      ['district', 'CATEGORY', false, null],
      ['hour', 'INTEGER', false, null],
      ['vehicles', 'INTEGER', false, null],
      ['avg_speed', 'DECIMAL', true, 1],
    ]);
    expect(new Set(columns[0]!.categories)).toEqual(new Set(['福田', '罗湖', '南山', '宝安', '龙岗', '盐田']));
  });

  it('names awkward headers as the API accepts, and keeps them apart', () => {
    expect(columnNameOf(' Avg Speed (km/h) ', 0)).toBe('avg_speed_km_h');
    expect(columnNameOf('行政区', 2)).toBe('col_3');
    const columns = inferColumns(['A b', 'a_b'], [{ 'A b': '1', a_b: '2' }]);
    expect(new Set(columns.map((c) => c.name)).size).toBe(2);
  });

  it('rewrites the file with edited names so the server reads the same cells and the same commitment', () => {
    const { header, rows } = parseCsv(csv);
    const columns = inferColumns(header, rows).map((c) => (c.name === 'vehicles' ? { ...c, name: 'vehicle_count' } : c));
    const renamed = renameRows(columns, rows);
    const upload = toCsv(columns, renamed);
    const server = parseRows(upload, catalogColumns(columns).map((c, i) => ({ ...c, nullable: columns[i]!.nullable })) as never);
    expect(server).toEqual(renamed);
    expect(catalogCommitment(catalogColumns(columns), server).root).toBe(catalogCommitment(catalogColumns(columns), renamed).root);
  });

  it('checks rows as the server does, and makes samples the server accepts', () => {
    const { header, rows } = parseCsv(csv);
    const columns = inferColumns(header, rows);
    const serverColumns = catalogColumns(columns).map((c, i) => ({ ...c, nullable: columns[i]!.nullable })) as never;
    expect(rowProblem(columns, { district: '香港', hour: '1', vehicles: '2', avg_speed: null })).toMatch(/district/);
    expect(rowProblem(columns, { district: '福田', hour: '1.5', vehicles: '2', avg_speed: null })).toMatch(/hour/);
    expect(rowProblem(columns, { district: '福田', hour: '1', vehicles: null, avg_speed: null })).toMatch(/vehicles/);
    expect(rowProblem(columns, { district: '福田', hour: '1', vehicles: '2', avg_speed: '3.25' })).toMatch(/avg_speed/);
    for (const sample of syntheticSamples(columns, rows, 5)) {
      expect(rowProblem(columns, sample as never)).toBeNull();
      expect(serverRowProblem(serverColumns, sample)).toBeNull();
    }
  });
});
