// Worker thread: the webhook requests themselves — signing, fetch, its streams and sockets, about
// half of a delivery's CPU — and the per-endpoint lanes, so an answer starts the endpoint's next
// request here at once while the dispatcher's thread does the SQLite work. See webhook-sender.ts.
import { parentPort } from 'node:worker_threads';
import { createSendLanes } from './send-lanes.ts';
import { postJob, type SenderReply, type SenderRequest, type SendJob } from './webhook-sender.ts';

const lanes = createSendLanes<SendJob>(postJob);
const handles = new Map<number, { cancel(): void }>();

// Replies go back in one message per turn of this thread's event loop: the dispatcher then
// records a group of answers in one look instead of waking up for each.
let replies: SenderReply[] = [];
const flush = () => {
  const batch = replies;
  replies = [];
  parentPort!.postMessage(batch);
};
const reply = (message: SenderReply) => {
  if (replies.push(message) === 1) setImmediate(flush);
};

parentPort!.on('message', (messages: SenderRequest[]) => {
  for (const message of messages) handle(message);
});

function handle(message: SenderRequest): void {
  if (message.type === 'cancel') handles.get(message.id)?.cancel();
  else if (message.type === 'withdraw') lanes.withdraw(message.key);
  else {
    const { id } = message;
    let finished = false;
    const submitted = lanes.submit(message.lane.key, message.lane.limit, message.job, (outcome) => {
      finished = true;
      handles.delete(id);
      reply(outcome instanceof Error ? { id, error: outcome.message } : { id, outcome });
    });
    if (!finished) handles.set(id, submitted);
  }
}
