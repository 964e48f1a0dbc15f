// The email intake as /metrics sees it: every message accepted (stored, so about to be answered
// 250 or 2xx) and every processing attempt's outcome (a ticket, ignored, failed), counted from
// outside the intake by overriding its two public steps, so the intake's own code stays free of
// metrics. A message processed again (a retry an administrator starts, or the safety-net job of
// a message whose inline attempt outlived it) is counted again: these count attempts' outcomes.
import type { EmailOutcome, InboundEnvelope } from '../intake/email-intake.ts';
import { EmailIntake } from '../intake/email-intake.ts';
import type { Metrics } from './metrics.ts';

export class CountedEmailIntake extends EmailIntake {
  private metrics: Metrics | undefined;

  /**
   * Starts counting into `metrics` (services.ts, right after construction): a setter rather
   * than a constructor argument, so the constructor stays exactly the intake's own.
   */
  countInto(metrics: Metrics): this {
    this.metrics = metrics;
    return this;
  }

  override async store(accountId: string, raw: Buffer, envelope: InboundEnvelope): Promise<string> {
    const id = await super.store(accountId, raw, envelope);
    this.metrics?.inboundAccepted.inc({ source: envelope.source ?? 'smtp' });
    return id;
  }

  override async process(accountId: string, inboundId: string): Promise<EmailOutcome> {
    try {
      const outcome = await super.process(accountId, inboundId);
      this.metrics?.inboundProcessed.inc({ outcome: outcome.kind });
      return outcome;
    } catch (error) {
      this.metrics?.inboundProcessed.inc({ outcome: 'failed' });
      throw error;
    }
  }
}
