// Parsing of numeric CLI options, with errors that name the flag.
import { InvalidArgumentError } from 'commander';

export function positiveInt(flag: string, min = 1) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} must be a whole number ≥ ${min}, got "${value}"`);
    return n;
  };
}
