// Worker thread: the webhook requests themselves — signing, fetch, its streams and sockets, about
// half of a delivery's CPU — and the per-endpoint lanes, so an answer starts the endpoint's next
// request here at once while the dispatcher's thread does the SQLite work. See webhook-sender.ts.
import { parentPort } from 'node:worker_threads';
import { createSendLanes } from './send-lanes.ts';
import { postJob, type SenderReply, type SenderRequest, type SendJob } from './webhook-sender.ts';

const lanes = createSendLanes<SendJob>(postJob);

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
  for (const message of messages) {
    if (message.type === 'withdraw') lanes.withdraw(message.key);
    else if (message.type === 'abort') lanes.abort(message.key);
    else if (message.type === 'send') {
      const { id } = message;
      lanes.submit(message.lane.key, message.lane.limit, message.job, (outcome) =>
        reply(outcome instanceof Error ? { id, error: outcome.message } : { id, outcome }),
      );
    }
  }
});
