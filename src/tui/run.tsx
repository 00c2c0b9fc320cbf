/**
 * Starts the console in the terminal: the alternate screen (so quitting gives the shell back as it was), Ink
 * without its own Ctrl-C exit (the console logs out first), the bell if wanted. Returns a way to ask for the same
 * clean quit from outside (cli/ turns signals into it) and a promise that settles when the console is gone.
 */
import { render } from 'ink';
import { App } from './App.js';
import type { ConsoleClient } from './console-client.js';
import type { Profile } from './wire.js';

export interface ConsoleOptions {
  client: ConsoleClient;
  server: string;
  me: Profile;
  bell: boolean;
}

export interface RunningConsole {
  done: Promise<void>;
  quit(): void;
}

const ALT_SCREEN_ON = '\u001b[?1049h\u001b[H';
const ALT_SCREEN_OFF = '\u001b[?1049l';

export function runConsole({ client, server, me, bell }: ConsoleOptions): RunningConsole {
  const stdout = process.stdout;
  const alternate = stdout.isTTY === true;
  if (alternate) stdout.write(ALT_SCREEN_ON);
  let quitHandle: (() => void) | undefined;
  let quitEarly = false;
  const ring = bell ? () => void stdout.write('\u0007') : undefined;
  const instance = render(
    <App
      client={client}
      server={server}
      me={me}
      {...(ring && { ring })}
      onQuitHandle={(quit) => {
        quitHandle = quit;
        if (quitEarly) quit();
      }}
    />,
    { exitOnCtrlC: false },
  );
  const done = instance.waitUntilExit().then(() => undefined);
  return {
    done: done.finally(() => {
      if (alternate) stdout.write(ALT_SCREEN_OFF);
    }),
    quit() {
      if (quitHandle) quitHandle();
      else quitEarly = true;
    },
  };
}
