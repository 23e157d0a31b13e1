/** npm itself, as the one running this command (`npm run …`), else the one on PATH. */
export function npmCommand(): [string, string[]] {
  const execPath = process.env["npm_execpath"];
  if (execPath && /npm-cli\.c?js$/.test(execPath)) return [process.execPath, [execPath]];
  return ["npm", []];
}

/**
 * The environment for an npm started in another folder. What `npm run` exports
 * about the project it was started in (its prefix, package.json, lifecycle)
 * must not follow, or the inner npm would act on that project.
 */
export function npmEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === "INIT_CWD" || name === "npm_config_local_prefix" || /^npm_(package|lifecycle)_/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}
