// Bootstrap tokens for joining machines (kubeadm token create|list|delete).
import { lazy, tokenCmd } from '../lazy';
import { CommandSpec } from '../spec';

export const token: CommandSpec = {
  name: 'token',
  summary: 'Manage bootstrap tokens that let new machines join as nodes',
  description: `Manage bootstrap tokens.

A bootstrap token ([a-z0-9]{6}.[a-z0-9]{16}) is stored as a Secret kube-system/bootstrap-token-<id>.
A new machine's node agent authenticates with it as system:bootstrap:<id> only to ask for its own
client certificate (a CertificateSigningRequest the controller-manager approves and signs):
npm run up -- --join <API URL> --token <TOKEN> --discovery-token-ca-cert-hash sha256:<hex>
(token create --print-join-command prints that line). The joining machine reads
kube-public/cluster-info, which the controller-manager signs with every token, and trusts the
CA there only if the token's signature and the CA's public-key hash check out. Expired tokens
are refused and deleted.`,
  usage: 'coxctl token (create|list|delete) [flags]',
  examples: `# A token valid for 24 hours (the default)\ncoxctl token create\n\n# A token valid for 2 hours, with a description\ncoxctl token create --ttl 2h --description "rack 3"\n\n# Delete a token by id\ncoxctl token delete abcdef`,
  subcommands: [
    {
      name: 'create',
      summary: 'Create a bootstrap token and print it',
      usage: 'coxctl token create [--ttl 24h] [flags]',
      examples: 'coxctl token create --ttl 1h\n\n# The whole join command for a new machine\ncoxctl token create --print-join-command',
      flags: [
        { name: 'ttl', type: 'string', default: '24h', description: 'How long the token is valid (0: never expires)' },
        { name: 'description', type: 'string', description: 'A human-readable note stored with the token' },
        { name: 'groups', type: 'strings', description: 'Extra groups (system:bootstrappers:...) the token authenticates with' },
        { name: 'print-join-command', type: 'bool', description: 'Print the full command a new machine runs to join (address, token, CA key hash) instead of only the token' },
      ],
      run: lazy(tokenCmd, 'runTokenCreate'),
    },
    { name: 'list', summary: 'List bootstrap tokens', usage: 'coxctl token list [flags]', examples: 'coxctl token list', run: lazy(tokenCmd, 'runTokenList') },
    { name: 'delete', summary: 'Delete bootstrap tokens', usage: 'coxctl token delete TOKEN-ID... [flags]', examples: 'coxctl token delete abcdef', run: lazy(tokenCmd, 'runTokenDelete') },
  ],
};
