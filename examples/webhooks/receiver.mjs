// A minimal webhook receiver for trying Till locally: verifies each delivery, skips repeats by
// event id, and prints what arrived. Usage:
//   TILL_WEBHOOK_SECRET=whsec_… node examples/webhooks/receiver.mjs [port]
// then add http://127.0.0.1:<port>/till as a webhook endpoint in Till.
import { createServer } from 'node:http';
import { verifyTillWebhook } from './verify-till-signature.mjs';

const secret = process.env.TILL_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set TILL_WEBHOOK_SECRET to the endpoint secret Till showed you.');
  process.exit(2);
}
const port = Number(process.argv[2] ?? 4242);
const seen = new Set();

createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let event;
    try {
      event = verifyTillWebhook(Buffer.concat(chunks), request.headers['till-signature'], secret);
    } catch (error) {
      console.log(`rejected: ${error.message}`);
      response.writeHead(400).end();
      return;
    }
    // At-least-once delivery: the same event may come again (a retry, a resend). Do the work once.
    const repeat = seen.has(event.id);
    seen.add(event.id);
    const invoice = event.data.invoice;
    console.log(
      `${repeat ? 'repeat ' : ''}${event.type} ${event.id}` +
        (invoice ? ` invoice ${invoice.id} #${event.sequence} status=${invoice.status} received=${invoice.amountReceived}` : ''),
    );
    response.writeHead(204).end();
  });
}).listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}/till`));
