import { join } from 'node:path';

/** node_agent.proto, beside the compiled sources too (scripts/build.js copies .proto files). */
export const NODE_AGENT_PROTO = join(__dirname, 'proto', 'node_agent.proto');
