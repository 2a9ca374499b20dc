// @coxswain/scheduling/testing: one-line builders for Nodes, Pods, VMIs and NodeInfos in specs.
export * from './fixtures';
export * from './drift-cases';
