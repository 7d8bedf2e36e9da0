import { Injectable } from '@nestjs/common';

/** The time, injectable so retention and expiry rules are testable without waiting. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
