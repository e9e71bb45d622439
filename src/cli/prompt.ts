/**
 * Reading a yes/no answer from stdin, as kubectl's interactive delete does: the question is printed,
 * one line is read, and only "y" (any case; "yes" too) goes ahead. End of input, an empty line or
 * anything else is "no".
 */
export function readLine(input: NodeJS.ReadableStream = process.stdin): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buf = '';
    const done = (v: string | undefined) => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onEnd);
      input.pause();
      resolve(v);
    };
    const onData = (d: Buffer | string) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(buf.slice(0, nl).replace(/\r$/, ''));
    };
    const onEnd = () => done(buf === '' ? undefined : buf);
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onEnd);
    input.resume();
  });
}

export function isYes(answer: string | undefined): boolean {
  const a = (answer ?? '').trim().toLowerCase();
  return a === 'y' || a === 'yes';
}

/** Writes the question (without a newline, as kubectl does) and reads the answer. */
export async function confirm(question: string, out: NodeJS.WritableStream = process.stdout): Promise<boolean> {
  out.write(question);
  const answer = await readLine();
  if (answer === undefined) out.write('\n');
  return isYes(answer);
}
