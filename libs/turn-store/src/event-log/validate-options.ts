import { resolveSetting, type SettingValue, type SharedSettingName } from '@turnpool/config';
import { limits, turnIdPattern } from '@turnpool/protocol';
import { TurnStreamError } from './turn-stream-error.ts';

/** A turn id as the protocol allows it: 1-128 characters `[A-Za-z0-9._-]`. */
export function validateTurnId(value: unknown, field = 'turnId'): string {
  if (typeof value !== 'string' || value.length > limits.maxTurnIdChars || !turnIdPattern.test(value)) {
    throw new TurnStreamError(
      'invalid_option',
      `${field} must be 1-${limits.maxTurnIdChars} characters [A-Za-z0-9._-], got ${describe(value)}`,
      { field },
    );
  }
  return value;
}

/** A key prefix, by the shared rule (libs/config `sharedSettings.keyPrefix`); `undefined` takes its default. */
export function validateKeyPrefix(value: unknown, field = 'keyPrefix'): string {
  return validateSetting('keyPrefix', field, value);
}

/** An option checked by its shared rule (libs/config `sharedSettings[name]`) under the caller's own field name; `undefined` takes its default. */
export function validateSetting<K extends SharedSettingName>(name: K, field: string, value: unknown): SettingValue<K> {
  try {
    return resolveSetting(name, value, field);
  } catch (err) {
    throw new TurnStreamError('invalid_option', (err as Error).message, { field });
  }
}

/** An integer option in [min, max]; `undefined` takes the default. */
export function validateInt(field: string, value: unknown, min: number, max: number, fallback: number): number;
export function validateInt(field: string, value: unknown, min: number, max: number, fallback?: undefined): number | undefined;
export function validateInt(field: string, value: unknown, min: number, max: number, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new TurnStreamError('invalid_option', `${field} must be an integer from ${min} to ${max}, got ${describe(value)}`, { field });
  }
  return value;
}

/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return typeof value;
}
