// Nest injection tokens for the server's collaborators.
export const API_ROUTER = Symbol('API_ROUTER');
export const METRICS = Symbol('METRICS');
export const LOGGER = Symbol('LOGGER');
export const HEALTH = Symbol('HEALTH');
export const AUTH = Symbol('AUTH');
export const FLOW = Symbol('FLOW');
