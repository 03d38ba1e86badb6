import { readSync } from 'node:fs';

/**
 * Fill `target` from byte `position` of the open file `fd`. A positioned read may return fewer bytes than asked
 * (the OS's choice, not the end of the file), so it loops; a read of 0 bytes is the end of the file, and
 * `onEnd(bytesRead)` says what that means to the caller.
 */
export function readFully(fd: number, target: Uint8Array, position: number, onEnd: (bytesRead: number) => Error): void {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) throw onEnd(done);
    done += n;
  }
}
