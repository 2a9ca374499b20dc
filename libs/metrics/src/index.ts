// What every long-running component's /metrics shares: prom-client's process metrics in a
// form `promtool check metrics` accepts.
export { collectLintCleanDefaultMetrics, GAUGES_NAMED_TOTAL } from './default-metrics';
export { DEFAULT_RELEASE_POLICY, startMemoryRelease, type MemoryReleaseOptions, type MemoryReleasePolicy } from './memory-release';
