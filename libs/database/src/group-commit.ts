/**
 * Group commit for a hot single-row statement: while one statement runs, the calls that
 * arrive wait and then go together in the next one. Under load N concurrent callers cost
 * one round trip and one commit instead of N; alone, a call runs at once as before.
 * `run` gets the inputs in call order and must answer one output per input, in order.
 * When a grouped statement fails, every call of that group gets the error.
 */
export class GroupCommit<In, Out> {
  private waiting: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
  private running = false;

  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly maxGroup = 64,
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length) {
        const group = this.waiting.splice(0, this.maxGroup);
        try {
          const outputs = await this.run(group.map((call) => call.input));
          if (outputs.length !== group.length)
            throw new Error(`group statement answered ${outputs.length} results for ${group.length} calls`);
          group.forEach((call, i) => call.resolve(outputs[i]));
        } catch (error) {
          for (const call of group) call.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
