import { z } from 'zod';

/** Shortest password a person may be given; the forms say so before the services refuse it. */
export const MIN_PASSWORD_LENGTH = 6;
/** Longest password accepted. */
export const MAX_PASSWORD_LENGTH = 1024;

/** A new password (first administrator, new person, reset or change). */
export const NewPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `password must have at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH);

/** Whether a new password is too short to be accepted; the forms show `auth.error.passwordShort` with {@link MIN_PASSWORD_LENGTH}. */
export function isPasswordTooShort(password: string): boolean {
  return password.length < MIN_PASSWORD_LENGTH;
}
