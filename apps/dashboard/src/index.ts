// What other parts of Coxswain use from the dashboard: starting it as a child process.
export { startDashboard, type StartDashboardOptions, type RunningDashboard } from './launch/start-dashboard';
export { buildIsCurrent, DASHBOARD_DIR } from './launch/build-state';
