'use client';
// Containers vs VMs, live and side by side: start time distributions, memory and CPU per
// workload, density per node and the isolation each gives — charts drawn from the watched
// Pods/VMIs/Nodes, the metrics API and (when configured) the agents' series in Prometheus.
import { CSSProperties, useMemo } from 'react';
import { useCompareFeed } from '../client/compare';
import { useKindList } from '../client/hooks';
import { boundLabel, densityPerNode, formatSeconds, KindSummary, NodeDensity, StartSummary, summarize, WorkloadKind, workloadFigures } from '../lib/compare';
import { formatBytes, formatCpu } from '../lib/quantity';
import { PageHead } from './shell';
import { Card, Empty, ErrorState, LiveIndicator, Skeleton } from './ui';

// Inline styles: this page's own, so no shared stylesheet edit (colours work in both themes).
const COLOR = { container: '#0e9f6e', vm: '#8b5cf6', guest: '#c4b5fd', overhead: '#f59e0b' } as const;
const S = {
  kinds: { display: 'grid', gap: 'var(--s4)', gridTemplateColumns: 'repeat(auto-fit, minmax(340px, 1fr))' },
  hbars: { display: 'flex', flexDirection: 'column', gap: 'var(--s3)' },
  hbar: { display: 'grid', gridTemplateColumns: 'minmax(150px, 34%) 1fr minmax(72px, auto)', alignItems: 'center', gap: 'var(--s3)', fontSize: 13 },
  value: { fontFamily: 'var(--mono)', textAlign: 'right' },
  track: { height: 14, borderRadius: 'var(--radius-sm)', background: 'var(--surface-2)', border: '1px solid var(--border)', overflow: 'hidden', display: 'flex' },
  columns: { display: 'grid', gridAutoFlow: 'column', gridAutoColumns: '1fr', gap: 3, alignItems: 'end', height: 120, paddingTop: 'var(--s2)', borderBottom: '1px solid var(--border)' },
  column: { display: 'flex', flexDirection: 'column', justifyContent: 'flex-end', height: '100%' },
  ticks: { display: 'grid', gridAutoFlow: 'column', gridAutoColumns: '1fr', gap: 3, fontSize: 10, color: 'var(--text-faint)', textAlign: 'center' },
  figures: { display: 'flex', gap: 'var(--s4)', flexWrap: 'wrap', fontSize: 13, marginBottom: 'var(--s2)' },
  figure: { fontFamily: 'var(--mono)', fontSize: 16 },
  legend: { display: 'flex', gap: 'var(--s3)', fontSize: 12, color: 'var(--text-muted)', flexWrap: 'wrap' },
} satisfies Record<string, CSSProperties>;
const fill = (tone: keyof typeof COLOR, widthPct: number): CSSProperties => ({ height: '100%', background: COLOR[tone], width: `${widthPct}%` });
const swatch = (tone: keyof typeof COLOR): CSSProperties => ({ display: 'inline-block', width: 10, height: 10, borderRadius: 2, marginRight: 4, verticalAlign: 'middle', background: COLOR[tone] });

const TITLE: Record<WorkloadKind, string> = { container: 'Containers', vm: 'VMs' };
const ISOLATION: Record<WorkloadKind, string> = {
  container: 'Namespaces, cgroups, seccomp and dropped capabilities; shares the host kernel. Starts in the time it takes to fork runc.',
  vm: 'Its own guest kernel under QEMU (KVM when the host has it, else TCG emulation): a hardware virtualization boundary. Starts in the time a kernel boots.',
};

interface BarSpec {
  label: string;
  value?: number;
  format: (n: number) => string;
  tone: 'container' | 'vm' | 'guest' | 'overhead';
}

/** Horizontal bars on one scale, so the two kinds compare at a glance. */
function HBars({ bars, label }: { bars: BarSpec[]; label: string }) {
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0));
  return (
    <div style={S.hbars} role="list" aria-label={label}>
      {bars.map((b) => {
        const text = b.value === undefined ? 'no sample yet' : b.format(b.value);
        return (
          <div key={b.label} style={S.hbar} role="listitem" aria-label={`${b.label}: ${text}`}>
            <span>{b.label}</span>
            <span style={S.track} aria-hidden="true">
              <span style={fill(b.tone, b.value && max ? Math.max(1, (b.value / max) * 100) : 0)} />
            </span>
            <span className={b.value === undefined ? 'muted small' : undefined} style={b.value === undefined ? undefined : S.value}>{text}</span>
          </div>
        );
      })}
    </div>
  );
}

function StartCard({ kind, start }: { kind: WorkloadKind; start: StartSummary }) {
  const max = Math.max(0, ...start.bars.map((b) => b.count));
  return (
    <section className="card" aria-label={`${TITLE[kind]} start time`}>
      <div className="card-head">
        <h2>{TITLE[kind]}</h2>
        <span className="small muted">{start.source === 'prometheus' ? 'agent histogram (Prometheus)' : 'object timestamps (1 s resolution)'}</span>
      </div>
      <div className="card-body">
        {start.count === 0 ? (
          <Empty title={`No ${kind === 'vm' ? 'VM' : 'container'} start measured yet`}>{kind === 'vm' ? 'Start a VirtualMachine' : 'Run a Pod or Deployment'}: its create → Running time shows here.</Empty>
        ) : (
          <>
            <div style={S.figures}>
              <span>
                p50 <strong style={S.figure} data-figure="p50">{formatSeconds(start.p50)}</strong>
              </span>
              <span>
                p90 <strong style={S.figure} data-figure="p90">{formatSeconds(start.p90)}</strong>
              </span>
              <span className="muted">{start.count} {start.count === 1 ? 'start' : 'starts'}</span>
            </div>
            <div style={S.columns} role="img" aria-label={`${TITLE[kind]} start time distribution: ${start.bars.filter((b) => b.count).map((b) => `${b.count} ${boundLabel(start.bars, start.bars.indexOf(b))}`).join(', ')}`}>
              {start.bars.map((b, i) => (
                <div key={i} style={S.column} title={`${boundLabel(start.bars, i)}: ${b.count}`}>
                  <span style={{ background: COLOR[kind], borderRadius: '3px 3px 0 0', height: `${max ? (b.count / max) * 100 : 0}%` }} />
                </div>
              ))}
            </div>
            <div style={S.ticks} aria-hidden="true">
              {start.bars.map((_, i) => (
                <span key={i}>{boundLabel(start.bars, i).replace('≤ ', '')}</span>
              ))}
            </div>
          </>
        )}
      </div>
    </section>
  );
}

function memoryBars(s: Record<WorkloadKind, KindSummary>, withOverhead: boolean): BarSpec[] {
  const bars: BarSpec[] = [
    { label: 'Container: working set', value: s.container.memory, format: formatBytes, tone: 'container' },
    { label: 'VM: QEMU working set', value: s.vm.memory, format: formatBytes, tone: 'vm' },
    { label: 'VM: guest RAM', value: s.vm.guestMemory, format: formatBytes, tone: 'guest' },
  ];
  if (withOverhead) {
    bars.push({ label: 'Container: shim overhead', value: s.container.overhead, format: formatBytes, tone: 'overhead' });
    bars.push({ label: 'VM: QEMU beyond guest RAM', value: s.vm.overhead, format: formatBytes, tone: 'overhead' });
  }
  return bars;
}

function Density({ rows }: { rows: NodeDensity[] }) {
  const max = Math.max(0, ...rows.map((r) => r.containers + r.vms));
  return (
    <div style={S.hbars} role="list" aria-label="Workloads per node">
      {rows.map((r) => {
        const text = `${r.containers} ${r.containers === 1 ? 'container' : 'containers'}, ${r.vms} ${r.vms === 1 ? 'VM' : 'VMs'}`;
        return (
          <div key={r.node} style={S.hbar} role="listitem" aria-label={`${r.node}: ${text}`}>
            <span className="mono">{r.node}</span>
            <span style={S.track} aria-hidden="true">
              <span style={fill('container', max ? (r.containers / max) * 100 : 0)} />
              <span style={fill('vm', max ? (r.vms / max) * 100 : 0)} />
            </span>
            <span style={S.value} title={`memory: containers ${formatBytes(r.containerMemory)}, VMs ${formatBytes(r.vmMemory)}`}>
              {text}
            </span>
          </div>
        );
      })}
    </div>
  );
}

export function CompareView() {
  const pods = useKindList('pods');
  const vmis = useKindList('virtualmachineinstances');
  const nodes = useKindList('nodes');
  const feed = useCompareFeed();
  const figures = useMemo(() => workloadFigures(pods.items, vmis.items, feed.usage ? { usage: feed.usage, prometheus: feed.prometheus } : undefined), [pods.items, vmis.items, feed.usage, feed.prometheus]);
  const summary = useMemo(() => summarize(figures, feed.prometheus), [figures, feed.prometheus]);
  const density = useMemo(() => densityPerNode(nodes.items, figures), [nodes.items, figures]);
  const loading = pods.status === 'loading' || vmis.status === 'loading';
  const failed = pods.status === 'error' ? pods : vmis.status === 'error' ? vmis : undefined;
  const sampled = feed.usage !== undefined && Object.keys(feed.usage).length > 0;

  return (
    <div className="stack">
      <PageHead title="Containers vs VMs">
        <span className="small muted">Source: {feed.source ?? '…'}</span>
        <LiveIndicator state={failed ?? pods} />
      </PageHead>
      {feed.error ? <div className="small tone-warn">Metrics unavailable: {feed.error}</div> : null}
      {failed ? <ErrorState title="Cannot list workloads" message={failed.error} /> : null}
      {loading ? (
        <Skeleton rows={4} />
      ) : (
        <>
          <section aria-label="Running now" style={S.legend}>
            {(['container', 'vm'] as const).map((k) => (
              <span key={k}>
                <span style={swatch(k)} />
                {TITLE[k]}: <strong data-running={k}>{summary[k].running}</strong> running
              </span>
            ))}
          </section>

          <h2>Start time (create → Running)</h2>
          <div style={S.kinds}>
            <StartCard kind="container" start={summary.container.start} />
            <StartCard kind="vm" start={summary.vm.start} />
          </div>

          <div style={S.kinds}>
            <Card title="Memory per workload" aside={<span className="small muted">average over running workloads</span>}>
              {summary.container.running + summary.vm.running === 0 ? (
                <Empty title="Nothing running">Run a Pod and a VirtualMachine to compare them.</Empty>
              ) : (
                <>
                  {!sampled ? <div className="small muted">Collecting samples… (one every {Math.round((feed.intervalMs ?? 10_000) / 1000)} s)</div> : null}
                  <HBars label="Memory per workload" bars={memoryBars(summary, Boolean(feed.prometheus))} />
                </>
              )}
            </Card>
            <Card title="CPU per workload" aside={<span className="small muted">cores, average</span>}>
              {summary.container.running + summary.vm.running === 0 ? (
                <Empty title="Nothing running" />
              ) : (
                <HBars
                  label="CPU per workload"
                  bars={[
                    { label: 'Container', value: summary.container.cpu, format: formatCpu, tone: 'container' },
                    { label: 'VM (whole QEMU process)', value: summary.vm.cpu, format: formatCpu, tone: 'vm' },
                  ]}
                />
              )}
            </Card>
          </div>

          <div style={S.kinds}>
            <Card
              title="Density per node"
              aside={
                <span style={S.legend}>
                  <span>
                    <span style={swatch('container')} />
                    containers
                  </span>
                  <span>
                    <span style={swatch('vm')} />
                    VMs
                  </span>
                </span>
              }
            >
              {density.length ? <Density rows={density} /> : <Empty title="No nodes yet" />}
            </Card>
            <Card title="Isolation" bodyClass="stack">
              {(['container', 'vm'] as const).map((k) => (
                <p key={k}>
                  <strong>{TITLE[k]}</strong>: {ISOLATION[k]}
                </p>
              ))}
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
