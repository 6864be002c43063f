import { type Actor } from '../../auth/actor';
import { DomainError, type ErrorCode } from '../../common/errors/error-codes';
import { type CloudEvent } from '../change-events';
import { type ChangeEventFilter, matchesFilter, mayReceive } from './change-event-filter';
import { type LiveChangeEvent } from './live-change-event';

/** Events waiting for one subscriber; a consumer this far behind is cut off rather than buffered without end. */
export const MAX_PENDING_EVENTS = 1_000;

/** Who the subscriber is now: re-checked when credentials may have changed (revoked key, new grants). */
export interface SubscriberAccess {
  actor: Actor;
  /** True when the actor must be authenticated again before the next event is released. */
  stale(): boolean;
  /** The actor now, or null when its credentials no longer authenticate. */
  reauthenticate(): Promise<Actor | null>;
}

/**
 * Ends a running stream. Mercurius sends stream errors without the error formatter, taking
 * `extensions` from the error itself, so the public code travels with it.
 */
export class StreamEndedError extends DomainError {
  get extensions(): { code: ErrorCode } {
    return { code: this.code };
  }
}

type Waiter = (result: IteratorResult<CloudEvent>) => void;

/**
 * One subscriber's stream. The feed offers it every event; names and types are filtered on
 * arrival, read rights when the event is released, with the subscriber's current credentials.
 */
export class LiveSubscription implements AsyncIterableIterator<CloudEvent> {
  private readonly pending: LiveChangeEvent[] = [];
  private waiter: { resolve: Waiter; reject: (error: Error) => void } | null = null;
  private ended = false;
  private failure: StreamEndedError | null = null;
  private releasing: Promise<void> = Promise.resolve();

  constructor(
    private readonly filter: ChangeEventFilter,
    private readonly access: SubscriberAccess,
    private readonly onEnd: (subscription: LiveSubscription) => void,
  ) {}

  offer(live: LiveChangeEvent): void {
    if (this.ended || !matchesFilter(this.filter, live.event)) return;
    if (this.pending.length >= MAX_PENDING_EVENTS) {
      this.fail(new StreamEndedError('UNAVAILABLE', 'the subscriber fell too far behind; subscribe again'));
      return;
    }
    this.pending.push(live);
    this.scheduleRelease();
  }

  /** Ends the stream normally (the service is shutting down, or the client completed). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pending.length = 0;
    this.onEnd(this);
    this.settle({ done: true, value: undefined });
  }

  next(): Promise<IteratorResult<CloudEvent>> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.scheduleRelease();
    });
  }

  return(): Promise<IteratorResult<CloudEvent>> {
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Releases run one at a time, so events keep their order while credentials are re-checked. */
  private scheduleRelease(): void {
    this.releasing = this.releasing
      .then(() => this.release())
      .catch(() => {
        this.fail(
          new StreamEndedError('UNAVAILABLE', 'could not re-check the credentials of this subscription'),
        );
      });
  }

  /** Hands the first pending event the subscriber may read to a waiting next(). */
  private async release(): Promise<void> {
    while (this.waiter !== null && this.pending.length > 0 && !this.ended) {
      const live = this.pending.shift() as LiveChangeEvent;
      const actor = await this.currentActor();
      if (actor === null) {
        this.fail(
          new StreamEndedError('UNAUTHENTICATED', 'the credentials of this subscription are no longer valid'),
        );
        return;
      }
      if (mayReceive(actor, live)) this.settle({ done: false, value: live.event });
    }
  }

  private async currentActor(): Promise<Actor | null> {
    if (!this.access.stale()) return this.access.actor;
    const actor = await this.access.reauthenticate();
    if (actor !== null) this.access.actor = actor;
    return actor;
  }

  private fail(error: StreamEndedError): void {
    if (this.ended) return;
    this.failure = error;
    this.ended = true;
    this.pending.length = 0;
    this.onEnd(this);
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(error);
  }

  private settle(result: IteratorResult<CloudEvent>): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve(result);
  }
}
