export * from './layout';
export * from './stats';
export * from './remove';
