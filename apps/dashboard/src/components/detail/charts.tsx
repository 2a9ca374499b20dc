'use client';
// CPU and memory over time (recharts), from the dashboard's ring buffer or Prometheus.
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useSeries } from '../../client/metrics';
import { formatBytes, formatCpu } from '../../lib/quantity';
import { Empty } from '../ui';

const time = (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function Chart({ title, data, dataKey, format, color }: { title: string; data: Array<{ t: number; cpu: number; mem: number }>; dataKey: 'cpu' | 'mem'; format: (n: number) => string; color: string }) {
  const last = data[data.length - 1]?.[dataKey];
  return (
    <section className="card" aria-label={`${title} chart`}>
      <div className="card-head">
        <h2>{title}</h2>
        <span className="mono small">{last !== undefined ? format(last) : '–'}</span>
      </div>
      <div className="card-body">
        <div className="chart" role="img" aria-label={`${title} over the last ${data.length} samples${last !== undefined ? `, now ${format(last)}` : ''}`}>
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={time} stroke="var(--text-faint)" fontSize={11} minTickGap={40} />
              <YAxis tickFormatter={format} stroke="var(--text-faint)" fontSize={11} width={56} />
              <Tooltip labelFormatter={(t) => time(Number(t))} formatter={(v) => [format(Number(v)), title]} contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 6, color: 'var(--text)' }} />
              <Area type="monotone" dataKey={dataKey} stroke={color} fill={color} fillOpacity={0.18} strokeWidth={2} isAnimationActive={false} />
            </AreaChart>
          </ResponsiveContainer>
        </div>
      </div>
    </section>
  );
}

/** target: `node/<name>`, `pod/<ns>/<name>` or `vmi/<ns>/<name>`. */
export function UsageCharts({ target }: { target: string }) {
  const series = useSeries(target);
  const every = series.intervalMs ? `${Math.round(series.intervalMs / 1000)} s` : 'a few seconds';
  return (
    <div className="stack" data-testid="usage-charts">
      <div className="row small muted">
        <span>Source: {series.source ?? '…'}</span>
        {series.error ? <span className="tone-warn">· metrics unavailable: {series.error}</span> : null}
      </div>
      {series.points.length < 2 ? (
        <Empty title="Collecting samples…">A point is taken every {every}; the chart appears after two.</Empty>
      ) : (
        <div className="chart-grid">
          <Chart title="CPU" data={series.points} dataKey="cpu" format={formatCpu} color="var(--bar-usage)" />
          <Chart title="Memory" data={series.points} dataKey="mem" format={formatBytes} color="#8b5cf6" />
        </div>
      )}
    </div>
  );
}
