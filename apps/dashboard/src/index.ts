// What other parts of Coxswain use from the dashboard: building it and starting it as a
// child process (`npm run up`, the e2e suite).
export { startDashboard, type StartDashboardOptions, type RunningDashboard } from './launch/start-dashboard';
export { buildDashboard, type BuildResult } from './launch/build';
export { buildIsCurrent, DASHBOARD_DIR } from './launch/build-state';
