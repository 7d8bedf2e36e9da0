/** Services reachable over the RPC transport (the gateway only calls them). */
export const RPC_SERVICES = ['identity', 'authorizations', 'notifications', 'reporting'] as const;
export type RpcServiceName = (typeof RPC_SERVICES)[number];

/**
 * A request/response command: declared once here with its payload and result types,
 * handled by exactly one replica of `service` (see libs/messaging, RedisRpcServer).
 */
export interface CommandContract<Payload, Result> {
  readonly service: RpcServiceName;
  readonly pattern: string;
  /** Phantom member carrying the types; never set at run time. */
  readonly types?: { payload: Payload; result: Result };
}

export function defineCommand<Payload, Result>(service: RpcServiceName, pattern: string): CommandContract<Payload, Result> {
  return { service, pattern };
}

export type PayloadOf<C> = C extends CommandContract<infer P, unknown> ? P : never;
export type ResultOf<C> = C extends CommandContract<unknown, infer R> ? R : never;

/** Who performs a command, established by the gateway from the caller's authentication. */
export type Actor =
  | {
      kind: 'operator';
      operatorId: string;
      /** The operator's organisation (set by the gateway from the token or the API key). */
      organisationId?: string;
      /** Signed in interactively: the session (step-up, logout); absent for an API key. */
      sessionId?: string;
      /** Acting through this API key. */
      apiKeyId?: string;
    }
  | {
      kind: 'user';
      userId: string;
      companyId: string;
      clientType: 'ADMINISTRATOR' | 'STANDARD';
      sessionId: string;
      /** Until when (ms since the epoch) the session's last TOTP step-up counts as fresh (seed 001: Sécur'Pass). */
      stepUpUntil?: number;
    }
  | { kind: 'system'; reason: string };

export function describeActor(actor: Actor | undefined): string | undefined {
  if (!actor) return undefined;
  switch (actor.kind) {
    case 'operator':
      return `operator:${actor.operatorId}`;
    case 'user':
      return `user:${actor.userId}`;
    case 'system':
      return `system:${actor.reason}`;
  }
}

/** Travels beside every payload: request id for the logs, actor, and the caller's deadline. */
export interface RpcMeta {
  requestId: string;
  actor?: Actor;
  /** Epoch ms after which the caller has given up: the command is dropped, not executed late. */
  deadline: number;
  /** Client-supplied Idempotency-Key of the HTTP request, when any. */
  idempotencyKey?: string;
}

export interface Ping {
  service: RpcServiceName;
  instanceId: string;
  uptimeMs: number;
}

/** Every service answers its own ping: the gateway's health check goes through the real path. */
export const SystemCommands = {
  ping: (service: RpcServiceName) => defineCommand<Record<string, never>, Ping>(service, `${service}.system.ping`),
};
