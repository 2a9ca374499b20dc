/** QEMU option values separate keys with commas; a literal comma is written twice. */
export const qemuEscape = (value: string): string => value.replaceAll(',', ',,');
