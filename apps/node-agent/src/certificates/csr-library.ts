// The CSR/X.509 functions the agent needs, in a module of its own: request.ts requires it on the
// first certificate request (the project's lazy-load idiom; libs/api stays statically imported,
// as the module-boundary rule wants).
export { csrForKeyPem, decodeBytes, encodeBytes, generateKeyAndCsr } from '@coxswain/api/certificates';
