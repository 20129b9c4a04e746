import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAGIC_DESTINATIONS } from '../../../src/calls/media-gateway/simulated-script';
import { TimerWorker } from '../../../src/timers/timer-worker';
import { FixedClock } from '../../support/fixed-clock';
import { TestApp } from '../../support/test-app';
import { CallsClient, tel } from './call-process-helpers';

describe('call timers across restarts (new app on the same DATA_DIR)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'call-timers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fires a dial timeout that fell due while the app was down, after the restart, once', async () => {
    const clock = new FixedClock('2026-03-01T10:00:00.000Z');
    const start = () =>
      TestApp.start({ clock, config: { dataDir: dir, simRingDelayMs: 0, simAnswerDelayMs: 0 } });

    const first = await start();
    const { key } = await first.createCustomer();
    const { id } = await new CallsClient(first, key).make({
      destination: tel(MAGIC_DESTINATIONS.ringForever),
    });
    await new CallsClient(first, key).waitForStatus(id, 'ringing');
    await first.close();

    clock.advance(61_000);
    const second = await start();
    // Nothing to trigger it but the worker's own start-up look at the due timers.
    const call = await new CallsClient(second, key).waitForStatus(id, 'hangup');
    expect(call).toMatchObject({ hangup_by: 'local', hangup_reason: 'dialout' });
    await second.close();

    const third = await start();
    const calls = new CallsClient(third, key);
    expect(await third.app.get(TimerWorker).fireDue()).toBe(0);
    const types = await calls.types(id);
    expect(types.filter((type) => type === 'CallHangupRequested')).toHaveLength(1);
    expect(types).toEqual(['CallCreated', 'CallRinging', 'CallHangupRequested', 'CallHungUp']);
    await third.close();
    // Three app starts on one folder: seconds on a loaded CI machine.
  }, 30_000);
});
