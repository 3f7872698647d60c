import { TillError } from '../lib/errors.ts';

/** This host opens no windows (till serve, the CLI): a tablet or browser is the customer display. */
export class DisplayWindowUnavailableError extends TillError {
  constructor() {
    super(
      'DISPLAY_WINDOW_UNAVAILABLE',
      'Only the desktop app opens the customer display as a window. Here, use Charge → "Pair a customer display" and open its link on a tablet or second screen.',
    );
  }
}
