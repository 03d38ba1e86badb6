import { spawnSync } from 'node:child_process';

/** Whether an external program (ncdump, h5dump, python3 with modules) is installed; tests skip visibly if not. */
export function hasCommand(command: string, args: string[] = ['--version']): boolean {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.error === undefined;
}

export const PYTHON = '/usr/bin/python3';

export function hasPythonModules(...modules: string[]): boolean {
  const result = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join(';')], { encoding: 'utf8' });
  return result.error === undefined && result.status === 0;
}
