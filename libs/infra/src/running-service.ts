/** A local service started by one of the launchers; `stop()` is idempotent. */
export interface RunningService {
  name: string;
  url: string;
  stop(): Promise<void>;
}

export interface RunningPostgres extends RunningService {
  /** Same server, database `postgres`: for creating and dropping scratch databases. */
  adminUrl: string;
}
