import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter turns every non-RpcException into "Internal server error".
 * Procura's handlers throw typed DomainErrors that must reach the caller intact:
 * RedisRpcServer serialises them (and hides anything unexpected behind a 500).
 */
@Catch()
export class DomainRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
