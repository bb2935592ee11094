// One progress line that rewrites itself on a terminal and prints plain lines elsewhere (CI logs, pipes).
export function progressLine(stream: NodeJS.WriteStream = process.stderr): { update(text: string): void; done(): void } {
  let last = '';
  return {
    update(text: string) {
      if (stream.isTTY) stream.write(`\r\x1b[2K${text}`);
      else if (text !== last) stream.write(`${text}\n`);
      last = text;
    },
    done() {
      if (stream.isTTY && last) stream.write('\n');
    },
  };
}
