// A uPlot chart sized to its container, with a text alternative: the same figures as a table.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: number[];
  color: string;
  /** Drawn as bars rather than a line. */
  bars?: boolean;
  /** Plotted against the right-hand axis. */
  right?: boolean;
}

export function Chart({
  title,
  x,
  xLabels,
  series,
  time,
  height = 240,
  legend = true,
}: {
  title: string;
  /** x values: unix seconds when `time`, otherwise 0 … n-1 with xLabels naming them. */
  x: number[];
  xLabels?: string[];
  series: ChartSeries[];
  time?: boolean;
  height?: number;
  /** Show uPlot's legend (the values under the cursor); off for a single labelled series. */
  legend?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const bars = uPlot.paths.bars!({ size: [0.6, 48] });
    const options: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      scales: {
        // Bars need half a step of room either side of the first and last x.
        x: { time: !!time, range: (_u, min, max) => (time ? [min - 43_200, max + 43_200] : [-0.5, x.length - 0.5]) },
        y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
        y2: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
      },
      axes: [
        time ? {} : { values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? (xLabels?.[s] ?? '') : '')), space: 30 },
        // The left axis counts things: whole numbers only.
        { scale: 'y', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 100_000] },
        ...(series.some((s) => s.right) ? [{ scale: 'y2', side: 1 as const, grid: { show: false } }] : []),
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: s.bars ? `${s.color}99` : undefined,
          width: 2,
          scale: s.right ? 'y2' : 'y',
          paths: s.bars ? bars : undefined,
          points: { show: !s.bars },
        })),
      ],
      legend: { show: legend },
    };
    const plot = new uPlot(options, [x, ...series.map((s) => s.values)], el);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify({ x, xLabels, series, time, height, legend })]);
  return <div class="chart" ref={box} role="img" aria-label={title} />;
}
