/**
 * Variables portalfeed reads as configuration. A developer's shell may set any of them (REDIS_URL
 * for the test Redis, PORT for their own server): a process a test starts must never inherit them,
 * or it crawls into the developer's Redis under the production prefix.
 */
const CONFIG_VARIABLES = ['PORT', 'PUBLIC_URL', 'DATA_DIR', 'LOG_LEVEL', 'ADMIN_TOKEN', 'PORTALFEED_CONFIG', 'NODE_ENV'];
/** Redis connection settings, today's and later ones (REDIS_CLUSTER_NODES, REDIS_SENTINELS, …). */
const CONFIG_PREFIXES = ['REDIS_', 'PORTALFEED_'];

export function isConfigVariable(name: string): boolean {
  return CONFIG_VARIABLES.includes(name) || CONFIG_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * The environment for a child process: the parent's (PATH, HOME, …) without any portalfeed
 * setting, plus exactly the settings the test means.
 */
export function childEnv(settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !isConfigVariable(name)) env[name] = value;
  }
  return { ...env, ...settings };
}
