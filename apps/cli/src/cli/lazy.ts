// Lazy loading of command implementations: the tree is declared up front (help and
// completion need it), the code behind each verb is required only when it runs.
import { RunFn } from './spec';

// require() keeps this CommonJS build lazy without ESM-style extension rules.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = <M>(path: string): Promise<M> => Promise.resolve(require(path) as M);

export const lazy =
  <M extends Record<string, unknown>>(load: () => Promise<M>, key: keyof M & string) =>
  async (): Promise<RunFn> =>
    (await load())[key] as RunFn;

export const getCmd = () => load<typeof import('../commands/get')>('../commands/get');
export const applyCmd = () => load<typeof import('../commands/apply')>('../commands/apply');
export const createConfigCmd = () => load<typeof import('../commands/create-config')>('../commands/create-config');
export const deleteCmd = () => load<typeof import('../commands/delete')>('../commands/delete');
export const describeCmd = () => load<typeof import('../commands/describe')>('../commands/describe');
export const editCmd = () => load<typeof import('../commands/edit')>('../commands/edit');
export const scaleCmd = () => load<typeof import('../commands/scale')>('../commands/scale');
export const rolloutCmd = () => load<typeof import('../commands/rollout')>('../commands/rollout');
export const nodeCmd = () => load<typeof import('../commands/node')>('../commands/node');
export const waitCmd = () => load<typeof import('../commands/wait')>('../commands/wait');
export const explainCmd = () => load<typeof import('../commands/explain')>('../commands/explain');
export const discoveryCmd = () => load<typeof import('../commands/discovery')>('../commands/discovery');
export const configCmd = () => load<typeof import('../commands/config')>('../commands/config');
export const logsCmd = () => load<typeof import('../commands/logs')>('../commands/logs');
export const execCmd = () => load<typeof import('../commands/exec')>('../commands/exec');
export const attachCmd = () => load<typeof import('../commands/attach')>('../commands/attach');
export const portForwardCmd = () => load<typeof import('../commands/port-forward')>('../commands/port-forward');
export const topCmd = () => load<typeof import('../commands/top')>('../commands/top');
export const compareCmd = () => load<typeof import('../commands/compare')>('../commands/compare');
export const vmCmd = () => load<typeof import('../commands/vm')>('../commands/vm');
export const batchCmd = () => load<typeof import('../commands/batch')>('../commands/batch');
export const tokenCmd = () => load<typeof import('../commands/token')>('../commands/token');
export const whyCmd = () => load<typeof import('../commands/why')>('../commands/why');
export const completionCmd = () => load<typeof import('../commands/completion')>('../commands/completion');
