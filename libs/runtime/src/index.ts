export const RUNTIME_PLACEHOLDER = 1;
