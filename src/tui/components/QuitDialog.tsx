/** Quitting with replies not yet acknowledged: they would be lost, so ask once. */
import { Text } from 'ink';
import { Dialog } from './Dialog.js';

export function QuitDialog({ unsent, width, height }: { unsent: number; width: number; height: number }) {
  return (
    <Dialog title="Quit?" width={width} height={height}>
      <Text wrap="wrap">
        {unsent} {unsent === 1 ? 'reply has' : 'replies have'} not been confirmed by the server and would be lost.
      </Text>
      <Text> </Text>
      <Text>
        <Text bold>q</Text> or <Text bold>Enter</Text> quits anyway · <Text bold>Esc</Text> stays
      </Text>
    </Dialog>
  );
}
