import { readFileSync, statSync } from 'node:fs';
import { CredentialsError } from './credentials-error.ts';

/** Section name -> key -> value. Maps, so hostile names such as `__proto__` are plain keys. */
export type AwsIniFile = Map<string, Map<string, string>>;

/** Largest shared config / credentials file read (1 MiB); real ones are a few KB. */
export const maxAwsIniBytes = 1024 * 1024;

/**
 * Reads an AWS shared config or credentials file (INI). A missing file is an empty map;
 * lines that are not `[section]` or `key = value` are skipped, as the SDK does. A file over
 * `maxAwsIniBytes` throws a CredentialsError naming the file.
 */
export function readAwsIniFile(file: string): AwsIniFile {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return new Map();
  }
  if (size > maxAwsIniBytes) {
    throw new CredentialsError(
      'invalid_aws_config',
      file,
      `${file} is ${size} bytes, over the ${maxAwsIniBytes}-byte limit for an AWS config file`,
    );
  }
  return parseAwsIni(readFileSync(file, 'utf8'));
}

export function parseAwsIni(text: string): AwsIniFile {
  const sections: AwsIniFile = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header?.[1] !== undefined) {
      const name = header[1].trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current === undefined || eq <= 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key !== '' && value !== '') current.set(key, value);
  }
  return sections;
}

/** The section for a profile: `[default]` / `[profile name]` in the config file, `[name]` in credentials. */
export function profileSection(file: AwsIniFile, profile: string, kind: 'config' | 'credentials'): Map<string, string> | undefined {
  if (kind === 'credentials') return file.get(profile);
  if (profile === 'default') return file.get('default') ?? file.get('profile default');
  return file.get(`profile ${profile}`);
}
