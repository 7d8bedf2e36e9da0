import { Injectable } from '@nestjs/common';

/** The time, injectable so rules about expiry are testable without waiting. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
