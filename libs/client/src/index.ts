// Core REST + watch client
export * from './core/types';
export * from './core/resource';
export * from './core/builtin-resources';
export * from './core/api-error';
export * from './core/clock';
export * from './core/selectors';
export { TokenBucket } from './core/token-bucket';
export { Semaphore } from './core/semaphore';
export { parseServers, firstServer, classifyConnectionError, ServerRing, type ConnectionFailure } from './core/failover';
export { RestTransport, type ConnectionOptions, type TransportOptions, type RestRequest, type RestResponse, type RequestInfo, type Query } from './core/rest-transport';
export { ndjsonLines, parseWatchLine } from './core/watch-parser';
export { WatchStream } from './core/watch-stream';
export * from './core/kube-client';
export { retryOnConflict, type RetryOnConflictOptions } from './core/retry';
export { promRestClientMetrics } from './core/prom-rest-metrics';

// Test support other projects may reuse in their unit tests
export { FakeClock, flushMicrotasks } from './testing/fake-clock';
export { FakeApiServer, mergePatch, type FakeApiServerOptions, type RecordedRequest } from './testing/fake-apiserver';

// Work queue
export { WorkQueue, type WorkQueueOptions, type WorkQueueMetrics } from './workqueue/work-queue';
export { ExponentialBackoffRateLimiter, type ItemRateLimiter } from './workqueue/rate-limiter';
export { runWorkers, type RunWorkersOptions } from './workqueue/workers';
export { promWorkQueueMetrics } from './workqueue/prom-metrics';

// Informer
export { Informer, type InformerOptions, type InformerHandlers } from './informer/informer';
export { IndexedStore, NAMESPACE_INDEX, type IndexFunc } from './informer/indexed-store';
export { SharedInformerFactory, informerKey, type SharedInformerFactoryOptions, type InformerScope, type InformerRequest } from './informer/shared-informer-factory';

// Leader election
export { LeaderElector, type LeaderElectorOptions, type LeaseClient } from './leader-election/leader-elector';
export { LEASE_RESOURCE, microTime, type Lease, type LeaseSpec } from './leader-election/lease';

// kubeconfig
export * from './kubeconfig/types';
export { loadKubeconfig, kubeconfigFiles, readKubeconfigFile, type LoadKubeconfigOptions, type LoadedKubeconfig } from './kubeconfig/load';
export { resolveKubeconfig, findCluster, findContext, findUser, clusterServers, SERVERS_EXTENSION, type ResolveOptions, type ResolvedKubeconfig } from './kubeconfig/resolve';
export { useContext, setContext, setCurrentNamespace, setCluster, setUser, deleteEntry, defaultKubeconfigFile, editFile, type FieldEdits } from './kubeconfig/edit';
export { clientFromKubeconfig, type ClientFromKubeconfigOptions, type KubeconfigClient } from './kubeconfig/client-from-kubeconfig';
export { makeTestPki, type TestPki } from './testing/test-certs';

// Observability and process lifecycle for components
export { createLogger, type Logger } from './observability/logger';
export { serveHealthAndMetrics, type HealthAndMetricsOptions, type HealthAndMetricsServer } from './observability/health-server';
export { onShutdown, type ShutdownOptions, type ShutdownProcess } from './observability/shutdown';

// Events
export { EventRecorder, eventTargetOf, buildEvent, type EventRecorderOptions, type EventTarget, type EventType, type EventSource } from './events/event-recorder';
