// For specs and e2e suites: lint an exposition with Debian's promtool.
export { ACCEPTED_LINT, promtoolFindings } from './promtool';
