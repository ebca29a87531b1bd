import { isThenable } from './execute-hooks-together.js';

/**
 * What `work` answers, or what `onFailure` makes of its failure, whether
 * thrown or rejected; synchronous while `work` is, so a synchronous operation
 * takes no extra turn for it.
 */
export function answeringFailure<T, F>(work: () => T | PromiseLike<T>, onFailure: (error: unknown) => F): T | F | Promise<T | F> {
  let answer: T | PromiseLike<T>;
  try {
    answer = work();
  } catch (error) {
    return onFailure(error);
  }
  return isThenable(answer) ? Promise.resolve(answer).then(undefined, onFailure) : answer;
}
