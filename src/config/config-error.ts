// The error of a setting that cannot be used: start-up stops with its message, which names the setting.
export class ConfigError extends Error {}
