import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { FleetSeries } from '../fleet-series.ts';

interface ChartSpec {
  title: string;
  unit: string;
  lines: { label: string; pick: (s: FleetSeries) => (number | null)[]; stroke: string }[];
}

const specs: ChartSpec[] = [
  {
    title: 'Time to first token (slowest model)',
    unit: 'ms',
    lines: [
      { label: 'p50', pick: (s) => s.ttftP50, stroke: '#2563eb' },
      { label: 'p95', pick: (s) => s.ttftP95, stroke: '#dc2626' },
    ],
  },
  {
    title: 'Throughput (fleet)',
    unit: 'output tokens/s',
    lines: [{ label: 'tokens/s', pick: (s) => s.tokensPerSecond, stroke: '#059669' }],
  },
  {
    title: 'Throttles (last minute, all models)',
    unit: 'throttles',
    lines: [{ label: 'throttles', pick: (s) => s.throttles, stroke: '#d97706' }],
  },
];

function Chart({ spec, series }: { spec: ChartSpec; series: FleetSeries }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = (): uPlot.AlignedData => [series.t, ...spec.lines.map((l) => l.pick(series))];
  useEffect(() => {
    if (!host.current) return;
    plot.current = new uPlot(
      {
        width: 360,
        height: 160,
        series: [{}, ...spec.lines.map((l) => ({ label: l.label, stroke: l.stroke, width: 2, spanGaps: true }))],
        axes: [{}, { label: spec.unit, size: 60 }],
        scales: { x: { time: true } },
        legend: { show: true },
      },
      data(),
      host.current,
    );
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);
  useEffect(() => {
    plot.current?.setData(data());
  }, [series]);
  return (
    <figure class="chart" data-testid="chart">
      <figcaption>{spec.title}</figcaption>
      <div ref={host} role="img" aria-label={`${spec.title}, ${spec.unit}, over time`} />
    </figure>
  );
}

/** Small time series accumulated from the feed since the page opened (uPlot). */
export function Charts({ series }: { series: FleetSeries }) {
  return (
    <section aria-labelledby="charts-title" class="panel">
      <h2 id="charts-title">Trends</h2>
      <p class="hint">Since this page opened: {series.t.length} summaries.</p>
      <div class="charts">
        {specs.map((s) => (
          <Chart key={s.title} spec={s} series={series} />
        ))}
      </div>
    </section>
  );
}
