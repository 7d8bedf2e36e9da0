import { RpcMeta, RpcServiceName } from '@procura/contracts';
import { WireError } from '@procura/errors';

/** Redis keys of the RPC transport, in one place. */
export const rpcKeys = {
  /** List of pending requests of a service: every replica pops from it (competing consumers). */
  requests: (service: RpcServiceName) => `procura:rpc:${service}:requests`,
  /** Sorted set instanceId → expiry (epoch ms) of the live replicas of a service. */
  presence: (service: RpcServiceName) => `procura:rpc:${service}:presence`,
  /** Pub/sub channel on which one client instance receives its replies. */
  replies: (clientId: string) => `procura:rpc:replies:${clientId}`,
};

export interface RpcRequestEnvelope {
  id: string;
  pattern: string;
  data: unknown;
  meta: RpcMeta;
  replyTo: string;
}

export interface RpcReplyEnvelope {
  id: string;
  response?: unknown;
  err?: WireError;
  isDisposed: true;
}

/** Patterns are `<service>.<feature>.<action>`: the first segment routes the request. */
export function serviceOfPattern(pattern: string): RpcServiceName {
  return pattern.slice(0, pattern.indexOf('.')) as RpcServiceName;
}
