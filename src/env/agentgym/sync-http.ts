// Blocking HTTP for the synchronous Env interface: a worker thread does the fetch while the caller waits
// on a shared flag (Atomics.wait) and then reads the answer from a message port. Never use it against a
// server in the same thread: that thread would be blocked and could not answer.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { EnvError } from '../../errors.ts';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { signal, port } = workerData;
parentPort.on('message', async (request) => {
  let answer;
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
      body: request.body,
    });
    answer = { status: response.status, text: await response.text() };
  } catch (error) {
    answer = { error: String((error && error.cause && error.cause.message) || (error && error.message) || error) };
  }
  port.postMessage(answer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

export interface HttpAnswer {
  status: number;
  text: string;
}

export class SyncHttp {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly timeoutMs = 30_000) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER, { eval: true, workerData: { signal: this.signal, port: port2 }, transferList: [port2] });
    this.worker.unref();
  }

  request(method: 'GET' | 'POST', url: string, body?: unknown): HttpAnswer {
    Atomics.store(this.signal, 0, 0);
    this.worker.postMessage({ method, url, body: body === undefined ? undefined : JSON.stringify(body) });
    if (Atomics.wait(this.signal, 0, 0, this.timeoutMs) === 'timed-out') throw new EnvError(`${method} ${url}: no answer within ${this.timeoutMs} ms`);
    const answer = receiveMessageOnPort(this.port)?.message as (HttpAnswer & { error?: string }) | undefined;
    if (!answer) throw new EnvError(`${method} ${url}: the HTTP worker sent nothing`);
    if (answer.error !== undefined) throw new EnvError(`${method} ${url}: ${answer.error}`);
    return answer;
  }

  close(): void {
    void this.worker.terminate();
    this.port.close();
  }
}
