import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on loopback (port 0) for tests: it accepts every message, parses it with mailparser and
 * keeps it. Plain SMTP without STARTTLS or AUTH, as a local relay would be.
 */
export async function startSmtpSink() {
  const messages: ParsedMail[] = [];
  const waiting: ((message: ParsedMail) => void)[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((message) => {
          messages.push(message);
          waiting.splice(0).forEach((resolve) => resolve(message));
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** The next message to arrive (or the latest, if one already did since the last call). */
    nextMessage(): Promise<ParsedMail> {
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
