// Small factories for catalog tests: a dataset description whose commitment matches its rows.
import { catalogCommitment } from '../../sdk/catalog-commitment.ts';

export interface FactoryColumn {
  name: string;
  type: 'INTEGER' | 'DECIMAL' | 'CATEGORY' | 'TEXT' | 'DATE';
  nullable: boolean;
  sensitivity: 'NONE' | 'INTERNAL' | 'PERSONAL' | 'SENSITIVE_PERSONAL';
  unit?: string;
  scale?: number;
  categories?: string[];
}

export const DISTRICTS = ['福田', '罗湖', '南山', '宝安', '龙岗', '盐田'];

export const TRAFFIC_COLUMNS: FactoryColumn[] = [
  { name: 'district', type: 'CATEGORY', nullable: false, sensitivity: 'NONE', categories: DISTRICTS },
  { name: 'hour', type: 'INTEGER', nullable: false, sensitivity: 'NONE', unit: 'h' },
  { name: 'vehicles', type: 'INTEGER', nullable: false, sensitivity: 'NONE', unit: 'vehicles/h' },
  { name: 'avg_speed', type: 'DECIMAL', nullable: true, sensitivity: 'NONE', unit: 'km/h', scale: 1 },
];

export function trafficRows(n: number, seed = 1): Record<string, string | null>[] {
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
  return Array.from({ length: n }, (_, i) => ({
    district: DISTRICTS[Math.floor(rand() * DISTRICTS.length)]!,
    hour: String(i % 24),
    vehicles: String(100 + Math.floor(rand() * 5000)),
    avg_speed: i % 17 === 0 ? null : (20 + rand() * 60).toFixed(1),
  }));
}

/** TRAFFIC_COLUMNS and six more: the commitment binds all ten, the proofs read the first four. */
export const WIDE_TRAFFIC_COLUMNS: FactoryColumn[] = [
  ...TRAFFIC_COLUMNS,
  { name: 'lane_count', type: 'INTEGER', nullable: false, sensitivity: 'NONE', unit: 'lanes' },
  { name: 'occupancy', type: 'DECIMAL', nullable: true, sensitivity: 'NONE', unit: '%', scale: 2 },
  { name: 'weather', type: 'CATEGORY', nullable: false, sensitivity: 'NONE', categories: ['晴', '雨', '雾'] },
  { name: 'sensor_id', type: 'TEXT', nullable: false, sensitivity: 'NONE' },
  { name: 'observed_on', type: 'DATE', nullable: false, sensitivity: 'NONE' },
  { name: 'remark', type: 'TEXT', nullable: true, sensitivity: 'NONE' },
];

export function wideTrafficRows(n: number, seed = 1): Record<string, string | null>[] {
  return trafficRows(n, seed).map((row, i) => ({
    ...row,
    lane_count: String(2 + (i % 4)),
    occupancy: i % 5 === 0 ? null : ((i * 13) % 10000 / 100).toFixed(2),
    weather: ['晴', '雨', '雾'][i % 3]!,
    sensor_id: `SZ-${String(1000 + i).padStart(5, '0')}`,
    observed_on: `2025-03-${String(1 + (i % 28)).padStart(2, '0')}`,
    remark: i % 4 === 0 ? null : `路段 ${i % 9}`,
  }));
}

export function toCsv(columns: { name: string }[], rows: Record<string, string | number | null>[]): string {
  const header = columns.map((c) => c.name).join(',');
  return [header, ...rows.map((r) => columns.map((c) => r[c.name] ?? '').join(','))].join('\n') + '\n';
}

/** The domain's column shape (lower-case enums) for the sdk's commitment. */
export function domainColumns(columns: FactoryColumn[]) {
  return columns.map((c) => ({ ...c, type: c.type.toLowerCase(), sensitivity: c.sensitivity.toLowerCase() })) as never;
}

export function datasetInput(overrides: Record<string, unknown> = {}, rows = trafficRows(40)) {
  const columns = (overrides.columns as FactoryColumn[] | undefined) ?? TRAFFIC_COLUMNS;
  return {
    input: {
      titleZh: '深圳市道路交通流量',
      titleEn: 'Shenzhen road traffic volumes',
      descriptionZh: '按行政区和小时统计的道路车流量与平均车速，来自路侧感知设备。',
      descriptionEn: 'Hourly road traffic volume and average speed by district, from roadside sensors.',
      domain: 'TRANSPORT',
      industry: '智慧交通',
      keywords: ['交通', 'traffic', '深圳'],
      columns,
      updateFrequency: 'DAILY',
      rowCount: rows.length,
      sampleRows: rows.slice(0, 3),
      classification: 'transport.traffic',
      grade: 'L2',
      personalInfo: false,
      commitment: catalogCommitment(domainColumns(columns), rows).root,
      ...overrides,
    },
    rows,
    csv: toCsv(columns, rows),
  };
}
