// test/ws-live-headers.test.ts again, with native payments found by reading every block body instead of
// balance-first (see test/fixtures/native-detection.ts).
import { useNativeDetection } from '../fixtures/native-detection.ts';

useNativeDetection('blocks');
await import('../ws-live-headers.test.ts');
