type Listener = () => void;

/**
 * Rule 1 of the seed rules (seed 001: "validez votre opération avec Sécur'Pass"): a change the
 * company's policy protects answers 403 STEP_UP_REQUIRED until the session is stepped up. The
 * API client asks here; the StepUpModal (mounted once by the layout) shows the code field over
 * the page, so the form and what was typed stay as they were, and the call is sent again.
 */
class StepUpPrompt {
  private pending: { promise: Promise<boolean>; resolve: (steppedUp: boolean) => void } | undefined;
  private readonly listeners = new Set<Listener>();

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): boolean => this.pending !== undefined;

  /** Resolves true once the session carries a fresh strong authentication, false when the person cancels. */
  ask(): Promise<boolean> {
    if (this.pending) return this.pending.promise;
    let resolve!: (steppedUp: boolean) => void;
    const promise = new Promise<boolean>((r) => (resolve = r));
    this.pending = { promise, resolve };
    this.notify();
    return promise;
  }

  /** The step-up succeeded (the session store already holds its token) or was cancelled. */
  settle(steppedUp: boolean): void {
    const pending = this.pending;
    this.pending = undefined;
    this.notify();
    pending?.resolve(steppedUp);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

export const stepUpPrompt = new StepUpPrompt();
