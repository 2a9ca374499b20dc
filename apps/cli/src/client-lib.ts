// The client library behind one local module, so context.ts can load it on first use (the
// build rewrites only static @coxswain/* imports, and --help should not pay for it).
export { clientFromKubeconfig, loadKubeconfig } from '@coxswain/client';
