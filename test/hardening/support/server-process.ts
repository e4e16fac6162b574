// The real server as a child process (`node --import tsx server/main.ts`, as `npm start` runs
// it), for tests that kill it: started with its own environment, ready once it logs where it
// listens, and killable with any signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../../server/config.ts';

/** Far beyond a cold start on a busy machine: a server that has not listened by then hangs. */
const START_TIMEOUT_MS = 90_000;

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves with the base URL once the server listens; rejects if it exits first. */
  readonly ready: Promise<string>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the server next writes a line containing `text`. */
  nextLine(text: string): Promise<void>;
  /** The last lines the server wrote, for a failure's message. */
  tail(): string;
}

export function spawnServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: PROJECT_ROOT,
    // Only what the server needs: a stray variable of the developer's could change its configuration.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let onListening: (url: string) => void = () => {};
  const ready = new Promise<string>((resolve) => (onListening = resolve));
  const watchers: { text: string; resolve: () => void }[] = [];
  let buffered = '';
  const collect = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      if (lines.length > 60) lines.shift();
      if (line.includes('"exchange listening"')) onListening(JSON.parse(line).graphql.replace(/\/graphql$/, ''));
      for (const w of watchers.filter((w) => line.includes(w.text))) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const tail = () => lines.join('\n');
  let stuck: NodeJS.Timeout | undefined;
  const readyOrExited = Promise.race([
    ready,
    exited.then((e) => Promise.reject(new Error(`the server exited (${e.code ?? e.signal}) before listening:\n${tail()}`))),
    new Promise<never>((_, reject) => (stuck = setTimeout(() => reject(new Error(`the server did not listen within ${START_TIMEOUT_MS} ms:\n${tail()}`)), START_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(stuck));
  // A test that kills the server while it starts need not wait for this.
  readyOrExited.catch(() => undefined);
  return {
    child,
    ready: readyOrExited,
    exited,
    nextLine: (text) => new Promise<void>((resolve) => watchers.push({ text, resolve })),
    tail,
  };
}
