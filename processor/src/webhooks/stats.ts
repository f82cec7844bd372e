/** When webhooks were last received, applied and failed in this process (for /operations/status). */
export class WebhookStats {
  lastReceivedAt?: string;
  lastAppliedAt?: string;
  lastFailedAt?: string;
  lastFailure?: { eventId: string; type: string; message: string };
  received = 0;
  failed = 0;

  receive(): void {
    this.received += 1;
    this.lastReceivedAt = new Date().toISOString();
  }

  apply(): void {
    this.lastAppliedAt = new Date().toISOString();
  }

  fail(eventId: string, type: string, message: string): void {
    this.failed += 1;
    this.lastFailedAt = new Date().toISOString();
    this.lastFailure = { eventId, type, message };
  }
}
