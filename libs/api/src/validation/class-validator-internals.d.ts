// class-validator's message token replacement ($value, $property, $constraint1), which its
// package ships without a public type; compiled.ts formats messages exactly as it does.
declare module 'class-validator/cjs/validation/ValidationUtils' {
  import { ValidationArguments } from 'class-validator';

  export const ValidationUtils: { replaceMessageSpecialTokens(message: unknown, args: ValidationArguments): string };
}
