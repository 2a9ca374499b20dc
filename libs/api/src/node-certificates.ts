// @coxswain/api/certificates: key pairs, certificate requests and certificate validity for Node
// processes that do without the validating classes (the node agent). It loads @peculiar/x509
// and the reflect-metadata polyfill that library needs, never class-validator; the kinds'
// shapes and the signer names come from @coxswain/api/browser.
export * from './certificates/csr';
export * from './certificates/x509';
