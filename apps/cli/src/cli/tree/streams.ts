// Verbs that hold a stream open to a pod: attach and port-forward (exec and logs live with
// the workload verbs).
import { attachCmd, portForwardCmd, lazy } from '../lazy';
import { SESSION_FLAGS } from '../flags';
import { CommandSpec } from '../spec';

export const attach: CommandSpec = {
  name: 'attach',
  summary: 'Attach to a running container',
  usage: 'coxctl attach (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] [flags]',
  examples: `# Watch the output of the running container of pod web-0
coxctl attach web-0

# The first pod of a deployment, container app
coxctl attach deploy/web -c app`,
  argsComplete: 'pod',
  flags: SESSION_FLAGS,
  run: lazy(attachCmd, 'runAttach'),
};

export const portForward: CommandSpec = {
  name: 'port-forward',
  summary: 'Forward one or more local ports to a pod',
  usage: 'coxctl port-forward (POD | TYPE/NAME) [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N] [flags]',
  examples: `# Local 8080 to port 8080 of pod web-0
coxctl port-forward pod/web-0 8080

# Any free local port to port 80 of the pod
coxctl port-forward web-0 :80

# Local 5000 to the target port of service web's port 80 on one of its pods
coxctl port-forward svc/web 5000:80`,
  argsComplete: 'pod',
  flags: [{ name: 'address', type: 'string', default: 'localhost', description: 'Address to listen on (localhost or an IP)' }],
  run: lazy(portForwardCmd, 'runPortForward'),
};
