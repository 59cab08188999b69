import { CronplaneError } from '../errors/index.ts';

/** A 4xx/5xx answer of a daemon's API, its message naming the daemon, its status and its code. */
export class ApiRefusal extends CronplaneError {
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(code, message);
    this.status = status;
  }
}
