import { allowMissing } from '../../model/unrouted';
import { requiredHeaderRule } from '../responses';

/**
 * A 405 names the methods its target accepts: RFC 9110 §15.5.6 requires `Allow` on every 405 (an
 * unrouted one above all: a wrong method). Judged once per authored response; generate says the same.
 */
export const allowHeader = requiredHeaderRule('allow-header', '405', allowMissing);
