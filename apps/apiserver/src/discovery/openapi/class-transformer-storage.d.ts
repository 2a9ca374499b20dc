// class-transformer ships its metadata storage only as a CommonJS file without typings at
// that path; its type lives under types/.
declare module 'class-transformer/cjs/storage' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
  export const defaultMetadataStorage: MetadataStorage;
}
